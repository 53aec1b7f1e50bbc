import { RunSummary } from '../../nodes/Letpay/actions/runSummary';
import { report } from '../../nodes/Letpay/errors/report';

const failed = (outcome: 'unknown' | 'not_captured', paymentToken: string) => ({
	ok: false as const,
	report: report({ message: `${outcome} happened`, description: 'Why.', outcome, retryAdvice: outcome === 'unknown' ? 'check_status_first' : 'never' }),
	facts: { paymentToken },
});

/*
 * What a stopped run says about each item: the workflow has no output then, so the error lists
 * what succeeded, what to check in Letpay, what failed, and what was never sent.
 */
describe('the run summary of a stopped run (unit)', () => {
	test('every item in one of four lists, and the first failure (by item index) leads', () => {
		const summary = new RunSummary(5);
		summary.started(0);
		summary.finished(0, { ok: true, json: { paymentToken: 'a', alreadyCaptured: false } });
		summary.started(2);
		summary.finished(2, failed('not_captured', 'c'));
		summary.started(1);
		summary.finished(1, failed('unknown', 'b'));
		summary.started(3);

		expect(summary.firstFailure).toMatchObject({ itemIndex: 1, report: { outcome: 'unknown' } });
		expect(summary.asData()).toEqual({
			succeeded: [{ itemIndex: 0, paymentToken: 'a', alreadyCaptured: false, verified: false }],
			failed: [
				{ itemIndex: 1, paymentToken: 'b', outcome: 'unknown', retryAdvice: 'check_status_first', message: 'unknown happened' },
				{ itemIndex: 2, paymentToken: 'c', outcome: 'not_captured', retryAdvice: 'never', message: 'not_captured happened' },
			],
			notSent: [4],
		});
		const text = summary.describe(summary.firstFailure!);
		expect(text).toMatch(/^Item 2: Why\./);
		expect(text).toContain('succeeded: item 1;');
		expect(text).toContain('outcome not certain, check these in Letpay: item 2;');
		expect(text).toContain('failed, not captured: item 3;');
		expect(text).toContain('not sent: item 5.');
	});

	test('long lists name the first 20 items and count the rest', () => {
		const summary = new RunSummary(25);
		for (let index = 0; index < 25; index++) summary.finished(index, { ok: true, json: {} });
		expect(summary.describe({ itemIndex: 0, report: failed('unknown', 'x').report })).toContain('items 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20 and 5 more');
	});
});
