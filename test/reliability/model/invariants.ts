import type { IDataObject } from 'n8n-workflow';

import type { RequestRecord } from '../../letpayEmulator';
import { findLeaks } from '../../helpers/secrets';
import { REDIRECT_PATH } from './faults';
import { keyOf, readItemReports, type ItemReport, type Label, type Violation } from './itemReports';
import { checkNotifications } from './notifications';
import { isValidInput, predictedLabels } from './predictions';
import { executionId, type Observation } from './runScenario';
import type { Scenario } from './scenario';

/*
 * The node's promise, held against Letpay's ledger and request log after every scenario:
 * a payment's money moves at most once for what the workflow asked, and every item tells the
 * truth about what happened to it.
 */

/**
 * Sign-ins one process may need per token lifetime, besides one for each token Letpay refused out
 * of turn (an injected plain 401), and, when Letpay keeps only its newest token, one for each new
 * token an answer failed to hand over (an HTML page, a reset): nobody holds a valid token then.
 */
export const SIGN_INS_PER_LIFETIME = 3;

type Found = (kind: string, detail: string) => void;

/** The odd payment tokens, as the node keys them (lower case): unlike the drawn ones, they get no salt per scenario. */
const UNSALTED_TOKENS = new Set(['constructor', '__proto__', 'tostring']);

const CAPTURE_PATH = /^\/token\/([^/]+)\/capture$/;
/** Labels that say this item's request took no money. */
const NOTHING_TAKEN = new Set<Label | undefined>([undefined, 'not_sent', 'skipped', 'not_captured', 'handled_by_earlier_item', 'already_captured_or_expired', 'already_captured']);
const describe = (report: ItemReport) => `e${report.execution + 1}#${report.index}:${report.label ?? 'none'}${report.verified ? '(verified)' : ''}`;

interface CaptureRequest {
	request: RequestRecord;
	key: string;
	execution: number;
}

function captureRequests(scenario: Scenario, requests: RequestRecord[], found: Found): CaptureRequest[] {
	return requests.flatMap((request) => {
		const match = CAPTURE_PATH.exec(request.path);
		if (!match) return [];
		const execution = Number(request.execution?.replace('execution-', '')) - 1;
		if (!scenario.executions[execution]) {
			found('capture no execution sent', `${request.path} (${String(request.status)})`);
			return [];
		}
		return [{ request, key: keyOf(decodeURIComponent(match[1])), execution }];
	});
}

/** The item that sent an execution's captures of a payment: its first valid item naming it (the others are duplicates). */
function senderOf(scenario: Scenario, reports: ItemReport[][], execution: number, key: string): ItemReport | undefined {
	return reports[execution].find((report) => report.key === key && isValidInput(scenario.executions[execution].items[report.index]));
}

/** The payment holds exactly one capture, of exactly this item's amount, by the time its execution ended. */
function heldOnce(observation: Observation, report: ItemReport): { held: boolean; amounts: number[] } {
	const finished = observation.executions[report.execution].finishedAt;
	const before = [...observation.earlier, ...observation.ledger].filter((capture) => keyOf(capture.paymentToken) === report.key && Date.parse(capture.at) <= finished);
	return { held: before.length === 1 && before[0].amountCents === report.cents, amounts: before.map((capture) => capture.amountCents) };
}

/** Each item against its own requests: the node sends an execution's payment once, so they are its. */
function checkOwnRequests(scenario: Scenario, observation: Observation, reports: ItemReport[][], captures: CaptureRequest[], found: Found) {
	const maybeAlready = (report: ItemReport) => scenario.executions[report.execution].options.ifAlreadyCaptured === 'output';
	for (const report of reports.flat()) {
		const sender = senderOf(scenario, reports, report.execution, report.key);
		const own = sender === report ? captures.filter((capture) => capture.execution === report.execution && capture.key === report.key) : [];
		const took = own.some(({ request }) => request.captured);
		const claims = report.label === 'captured' || (report.label === 'captured_or_already' && !maybeAlready(report));
		if (took && NOTHING_TAKEN.has(report.label)) found('hidden capture', `${describe(report)} ${report.key}: its own request took ${report.cents} cents (${report.message ?? ''})`);
		// A capture credited to the payment is true if the payment holds what the item asked, once.
		const credited = report.byPayment && heldOnce(observation, report).held;
		if (!took && claims && !credited) {
			found(report.verified ? 'false verified capture' : 'false capture claim', `${describe(report)} ${report.key}: its own requests took nothing [${own.map(({ request }) => request.status).join(', ')}]`);
		}
	}
}

/** Truthful success and failure, counted per payment and amount over all executions. */
function checkLedger(scenario: Scenario, observation: Observation, reports: ItemReport[], found: Found) {
	const ledger = new Map<string, number>();
	for (const capture of observation.ledger) ledger.set(`${keyOf(capture.paymentToken)} ${capture.amountCents}`, (ledger.get(`${keyOf(capture.paymentToken)} ${capture.amountCents}`) ?? 0) + 1);
	const maybeAlready = (report: ItemReport) => scenario.executions[report.execution].options.ifAlreadyCaptured === 'output';
	for (const pair of new Set([...ledger.keys(), ...reports.map((report) => `${report.key} ${report.cents}`)])) {
		const items = reports.filter((report) => `${report.key} ${report.cents}` === pair);
		// A stopped run's itemResults do not tell "captured" from "already captured" apart.
		// A capture credited to the payment may be this request's or an earlier one's.
		const claims = items.filter((report) => !report.byPayment && (report.label === 'captured' || (report.label === 'captured_or_already' && !maybeAlready(report))));
		const maybe = items.filter((report) => (report.label === 'captured_or_already' && maybeAlready(report)) || (report.byPayment && report.label === 'captured')).length;
		const unknown = items.filter((report) => report.label === 'unknown').length;
		const captured = ledger.get(pair) ?? 0;
		const who = items.map(describe).join(' ');
		if (claims.length > captured) found(claims.some((report) => report.verified) ? 'false verified capture' : 'false capture claim', `${pair} cents: ${claims.length} items say captured, Letpay captured ${captured} [${who}]`);
		if (captured > claims.length + maybe + unknown) found('hidden capture', `${pair} cents: Letpay captured ${captured}, items say [${who}]`);
	}
	for (const report of reports.filter((item) => item.label === 'already_captured')) {
		// Captured before the item reported: the day before, or by the time its execution ended.
		const { held, amounts } = heldOnce(observation, report);
		if (!held) found('false already-captured', `${describe(report)} ${report.key} ${report.cents}: Letpay held [${amounts.join(', ')}]`);
	}
}

/** At most once, from the request log: what reached Letpay, not what the ledger kept. */
function checkAtMostOnce(scenario: Scenario, reports: ItemReport[][], captures: CaptureRequest[], found: Found) {
	const groups = new Map<string, CaptureRequest[]>();
	for (const capture of captures) groups.set(`${capture.execution} ${capture.key}`, [...(groups.get(`${capture.execution} ${capture.key}`) ?? []), capture]);
	for (const [group, sent] of groups) {
		const where = `execution ${Number(group.split(' ')[0]) + 1}, ${group.split(' ')[1]}`;
		const first = sent.findIndex(({ request }) => request.reached);
		if (sent.filter(({ request }) => request.reached).length > 1) found('two captures in one execution', where);
		if (first >= 0 && first < sent.length - 1) found('capture resent after Letpay may have processed it', `${where}: ${sent.map(({ request }) => request.status).join(' -> ')}`);
	}
	// Executions of a process that check first must not send a payment another of them had taken.
	// (One that does not check may race ahead of one that checked and found nothing: not a repeat.)
	const checksFirst = (execution: number) => scenario.executions[execution].tool || scenario.executions[execution].options.checkBeforeCapture;
	const takenBy = new Map<string, number>();
	for (const { request, key, execution } of captures) {
		const processKey = `${scenario.executions[execution].process} ${key}`;
		const taker = takenBy.get(processKey);
		if (taker !== undefined && taker !== execution && request.reached && checksFirst(execution) && checksFirst(taker)) {
			found('repeat captured while checking first', `${key}: execution ${execution + 1} sent a capture after execution ${taker + 1}'s was taken (${request.status})`);
		}
		if (request.captured && taker === undefined) takenBy.set(processKey, execution);
	}
	// "Handled by an earlier item": one of this execution, or a capture of this process (marked in
	// flight before it is sent, so it may not have reached Letpay yet, or ever).
	const HANDLED = new Set<Label | undefined>(['handled_by_earlier_item', 'skipped', 'not_sent', undefined]);
	for (const report of reports.flat().filter((item) => item.label === 'handled_by_earlier_item' || item.label === 'skipped')) {
		const earlierItem = reports[report.execution].some((other) => other.index < report.index && other.key === report.key);
		const process = scenario.executions[report.execution].process;
		const sameProcess = reports.flat().some(
			(other) => other.execution !== report.execution && other.key === report.key && !HANDLED.has(other.label) && scenario.executions[other.execution].process === process,
		);
		// Odd payment tokens (`constructor`...) are the same in every scenario, and a process
		// remembers the captures it sent for 30 minutes: one of an earlier scenario may handle them.
		const earlierScenario = UNSALTED_TOKENS.has(report.key);
		if (!earlierItem && !sameProcess && !earlierScenario) found('handled by an item that does not exist', `${describe(report)} ${report.key}`);
	}
}

/** Secrets: the opted-in `refreshToken` of a success item is the only place a token may be. */
function checkSecrets(scenario: Scenario, observation: Observation, found: Found) {
	observation.executions.forEach(({ run }, execution) => {
		if (!run) return;
		const optedIn = scenario.executions[execution].options.includeRefreshToken;
		const error = run.error as (Error & IDataObject) | undefined;
		const text = JSON.stringify([run.run.data.resultData, error?.message, error?.description], function (this: IDataObject, key, value: unknown) {
			return optedIn && key === 'refreshToken' && this.success === true ? undefined : value;
		});
		const leaks = findLeaks(text, observation.secrets);
		if (leaks.length > 0) found('secret leaked', `execution ${execution + 1}: ${leaks.join(', ')}`);
	});
	const inLogs = findLeaks(observation.logs.join('\n'), observation.secrets);
	if (inLogs.length > 0) found('secret leaked', `logs: ${inLogs.join(', ')}`);
}

function checkSignIns(scenario: Scenario, observation: Observation, found: Found) {
	const lifetimes = observation.tokensExpired ? 2 : 1;
	const refusals = scenario.payments.flatMap((payment) => [...payment.captureFaults, ...payment.lookupFaults]).filter((name) => name === 'plain 401').length;
	const lost = scenario.letpay.accessTokens === 'newest-only' ? observation.requests.filter((request) => request.lostToken !== undefined).length : 0;
	observation.signIns.forEach((signIns, process) => {
		if (signIns > SIGN_INS_PER_LIFETIME * lifetimes + refusals + lost) {
			found('too many sign-ins', `process ${process + 1}: ${signIns} sign-ins in ${lifetimes} token lifetime(s), ${refusals} token(s) refused out of turn, ${lost} new token(s) lost with their answer`);
		}
	});
}

/**
 * When Letpay hands out a new token with every answer and keeps only the newest, an answer lost
 * on its way (an HTML page, a reset, a hang) leaves nobody a valid token, and every other request
 * waits for its successor, then signs in. An item with a short timeout may run out of time there:
 * it may end not captured when its last request was refused with a plain 401 (a truthful outcome).
 */
function ranOutWaitingForToken(scenario: Scenario, observation: Observation, report: ItemReport): boolean {
	const { letpay } = scenario;
	if (letpay.refreshTokenMode !== 'rotate' || letpay.accessTokens !== 'newest-only' || report.label !== 'not_captured') return false;
	if (!observation.requests.some((request) => request.lostToken !== undefined)) return false;
	const own = observation.requests.filter((request) => request.execution === executionId(report.execution) && request.path.toLowerCase().includes(report.key));
	return own.at(-1)?.status === 401;
}

/**
 * "Letpay did not accept the credentials" is true only if Letpay refused them: a sign-in answered
 * 401, or tokens refused out of turn (an injected plain 401), which is what such a refusal looks
 * like. The model's key and secret are always good.
 */
function checkCredentialBlame(scenario: Scenario, observation: Observation, reports: ItemReport[][], found: Found) {
	const refusedSignIn = observation.requests.some((request) => request.path === '/auth' && request.status === 401);
	const refusedOutOfTurn = scenario.payments.some((payment) => [...payment.captureFaults, ...payment.lookupFaults].includes('plain 401'));
	if (refusedSignIn || refusedOutOfTurn) return;
	for (const report of reports.flat().filter((item) => /did not accept the credentials/.test(item.message ?? ''))) {
		found('credentials blamed, never refused', `${describe(report)} ${report.key}: ${report.message}`);
	}
}

/** Returns how many items were held against a prediction. */
function checkPredictions(scenario: Scenario, observation: Observation, reports: ItemReport[][], found: Found): number {
	let predicted = 0;
	for (const report of reports.flat()) {
		const expected = predictedLabels(scenario, report.execution, report.index);
		if (!expected || report.label === undefined || report.label === 'not_sent') continue;
		predicted++;
		const captured = report.label === 'captured_or_already' && (expected.includes('captured') || expected.includes('already_captured'));
		if (captured || expected.includes(report.label!) || ranOutWaitingForToken(scenario, observation, report)) continue;
		found('unexpected outcome', `${describe(report)} ${report.key}: predicted ${expected.join(' or ')} (${report.message ?? ''})`);
	}
	return predicted;
}

export function checkScenario(scenario: Scenario, observation: Observation): { violations: Violation[]; predicted: number } {
	const violations: Violation[] = [];
	const found: Found = (kind, detail) => violations.push({ kind, detail });
	const reports = readItemReports(scenario, observation, found);
	const captures = captureRequests(scenario, observation.requests, found);
	checkOwnRequests(scenario, observation, reports, captures, found);
	checkLedger(scenario, observation, reports.flat(), found);
	checkAtMostOnce(scenario, reports, captures, found);
	for (const request of observation.requests.filter((logged) => logged.path === REDIRECT_PATH)) found('redirect followed', `${request.method} ${request.path}`);
	checkSecrets(scenario, observation, found);
	checkSignIns(scenario, observation, found);
	checkCredentialBlame(scenario, observation, reports, found);
	checkNotifications(scenario, observation.notifications ?? [], observation.secrets, found);
	const predicted = checkPredictions(scenario, observation, reports, found);
	return { violations, predicted };
}
