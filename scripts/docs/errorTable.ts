import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';

import { BY_CODE, BY_GROUP } from '../../nodes/Letpay/errors/catalogue';
import { explainFailure } from '../../nodes/Letpay/errors/explainFailure';
import { duplicateReport, invalidInputReport, lookupFailedReport, refusedInAnswerReport, unconfirmedAnswerReport, type LetpayErrorReport } from '../../nodes/Letpay/errors/report';

/*
 * The README's error table, made from the catalogue and the error factories themselves, so it
 * cannot say something the node does not do. `npm run docs` writes it into the README; a test
 * fails when the README's copy is stale.
 */
const README = path.resolve(__dirname, '..', '..', 'README.md');
const START = '<!-- error-table:start (npm run docs) -->';
const END = '<!-- error-table:end -->';
const context = { timeoutMs: 30_000, environment: 'Sandbox environment, https://api-sandbox.letpay.io' };

const envelope = (status: number, code: string) =>
	JSON.stringify({ status, message: 'm', errors: [{ code, description: 'd' }] });
const answer = (status: number, body = '', headers: Record<string, string> = {}) =>
	explainFailure({ status, body, headers, message: '' }, context);
const network = (code: string) => explainFailure({ code, headers: {}, message: code }, context);

function codesOf(entry: object): string[] {
	const exact = Object.entries(BY_CODE).filter(([, candidate]) => candidate === entry).map(([code]) => `\`${code}\``);
	const groups = BY_GROUP.filter(([, candidate]) => candidate === entry).map(([prefix]) => `\`${prefix}*\``);
	return [...exact, ...groups];
}

/** [Letpay code or HTTP status, report] rows, in the order a builder meets them. */
function rows(): Array<[string, LetpayErrorReport]> {
	const seen = new Set<object>();
	const byCatalogue: Array<[string, LetpayErrorReport]> = [];
	for (const entry of [...Object.values(BY_CODE), ...BY_GROUP.map(([, entry]) => entry)]) {
		if (seen.has(entry)) continue;
		seen.add(entry);
		const prefix = BY_GROUP.find(([, e]) => e === entry)?.[0] ?? '';
		const code = Object.entries(BY_CODE).find(([, e]) => e === entry)?.[0] ?? (prefix.endsWith('.') ? `${prefix}99.9999` : `${prefix}.9999`);
		byCatalogue.push([codesOf(entry).join(', '), answer(422, envelope(422, code))]);
	}
	return [
		['none: the node refused the input (nothing sent)', invalidInputReport('Invalid Amount in item 1: ...', '')],
		['none: an earlier item of the execution has the same payment (nothing sent)', duplicateReport('Payment Token "..." in item 3 names the same payment as item 1: ...', 0)],
		...byCatalogue,
		['a code not listed here, on a 4xx', answer(422, envelope(422, '42.42.4242'))],
		['a code not listed here, on a 5xx', answer(503, envelope(503, '42.42.4242'))],
		['200, `transaction_status` DECLINED or CANCELED', refusedInAnswerReport('DECLINED', context.environment)],
		['200, another status or an unreadable body', unconfirmedAnswerReport('SOMETHING_NEW', context.environment)],
		['3xx (never followed)', answer(302)],
		['401, 403', answer(401)],
		['404', answer(404)],
		['429', answer(429)],
		['any 5xx, an HTML error page', answer(502, '<html>')],
		['none: no answer within the timeout', network('ETIMEDOUT')],
		['none: the connection broke (also EHOSTUNREACH, ENETUNREACH: a route can fail under an open connection)', network('ECONNRESET')],
		['none: connection refused, DNS failure', network('ECONNREFUSED')],
		['Get, Get Many by Reference: a look-up that failed (here a 502, after its retries)', lookupFailedReport(answer(502, '<html>'), 'this payment')],
	];
}

export function renderErrorTable(): string {
	const lines = [
		'| Letpay code / HTTP status | the item\'s `message` | `outcome` | `retryAdvice` |',
		'| --- | --- | --- | --- |',
		...rows().map(([code, report]) => {
			const bold = report.outcome === 'unknown' ? '**' : '';
			return `| ${code} | ${report.message} | ${bold}\`${report.outcome}\`${bold} | ${bold}\`${report.retryAdvice}\`${bold} |`;
		}),
	];
	return `${START}\n${lines.join('\n')}\n${END}`;
}

export function readmeErrorTable(): string | undefined {
	const readme = readFileSync(README, 'utf8');
	const start = readme.indexOf(START);
	const end = readme.indexOf(END);
	return start === -1 || end === -1 ? undefined : readme.slice(start, end + END.length);
}

if (require.main === module) {
	const readme = readFileSync(README, 'utf8');
	const current = readmeErrorTable();
	if (!current) throw new Error(`README.md has no ${START} ... ${END} block`);
	writeFileSync(README, readme.replace(current, renderErrorTable()));
	process.stdout.write('README.md error table written from the catalogue\n');
}
