import { captureOnce, PAYMENT_TOKEN } from '../helpers/captures';
import { useTestbed } from '../helpers/testbed';
import { capturedLogs } from '../helpers/capturedLogs';

/*
 * Review attack: Letpay's answer quotes its own refresh_token (a token the node has never sent) in its
 * message, description or another field. The node must scrub it from the item and the logs.
 */
const QUOTED = 'rt-quoted-0123456789abcdef';

describe.each([
	['422 whose message quotes it', { status: 422, body: { status: 422, error: 'Unprocessable', message: `token ${QUOTED} cannot capture`, errors: [{ code: '00.04.0010', description: `not pre-authorized (${QUOTED})` }], refresh_token: QUOTED } }],
	['200 DECLINED quoting it', { status: 200, body: { transaction_status: 'DECLINED', payment_token: PAYMENT_TOKEN, message: `declined, use ${QUOTED}`, refresh_token: QUOTED } }],
])('review: %s', (_label, answer) => {
	const testbed = useTestbed({ refreshTokenMode: 'rotate', accessTokens: 'newest-only' });

	test('the quoted token is nowhere in the run data or logs', async () => {
		const logStart = capturedLogs.length;
		const result = await captureOnce(testbed, { kind: 'answer', status: answer.status, body: answer.body, captured: false });
		const text = JSON.stringify(result.run.data.resultData) + capturedLogs.slice(logStart).join('\n');
		expect(text.includes(QUOTED)).toBe(false);
	});
});
