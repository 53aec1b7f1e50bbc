import type { IDataObject } from 'n8n-workflow';

import { findLeaks } from '../../helpers/secrets';
import { REDIRECT_PATH } from './faults';
import { keyOf, readItemReports, type ItemReport, type Violation } from './itemReports';
import { predictedLabels } from './predictions';
import type { Observation } from './runScenario';
import type { Scenario } from './scenario';

/*
 * The node's promise, held against Letpay's ledger and request log after every scenario:
 * a payment's money moves at most once for what the workflow asked, and every item tells the
 * truth about what happened to it.
 */

/**
 * Sign-ins one process may need per token lifetime, besides one for each token Letpay refused out
 * of turn (an injected plain 401): that refusal is answered by signing in again.
 */
export const SIGN_INS_PER_LIFETIME = 3;

const CAPTURE_PATH = /^\/token\/([^/]+)\/capture$/;

function countBy<T>(values: T[], key: (value: T) => string): Map<string, number> {
	const counts = new Map<string, number>();
	for (const value of values) counts.set(key(value), (counts.get(key(value)) ?? 0) + 1);
	return counts;
}

/** Truthful success and truthful failure, per payment and amount. */
function checkLedger(scenario: Scenario, observation: Observation, reports: ItemReport[], found: (kind: string, detail: string) => void) {
	const ledger = countBy(observation.ledger, (capture) => `${keyOf(capture.paymentToken)} ${capture.amountCents}`);
	const pairs = new Set([...ledger.keys(), ...reports.map((report) => `${report.key} ${report.cents}`)]);
	for (const pair of pairs) {
		const items = reports.filter((report) => `${report.key} ${report.cents}` === pair);
		// A stopped run's itemResults do not tell "captured" from "already captured" apart.
		const maybeAlready = (report: ItemReport) => scenario.executions[report.execution].options.ifAlreadyCaptured === 'output';
		const claims = items.filter((report) => report.label === 'captured' || (report.label === 'captured_or_already' && !maybeAlready(report)));
		const maybe = items.filter((report) => report.label === 'captured_or_already' && maybeAlready(report)).length;
		const unknown = items.filter((report) => report.label === 'unknown').length;
		const captured = ledger.get(pair) ?? 0;
		const who = items.map((report) => `e${report.execution + 1}#${report.index}:${report.label ?? 'none'}${report.verified ? '(verified)' : ''}`).join(' ');
		if (claims.length > captured) {
			const kind = claims.some((report) => report.verified) ? 'false verified capture' : 'false capture claim';
			found(kind, `${pair} cents: ${claims.length} items say captured, Letpay captured ${captured} [${who}]`);
		}
		if (captured > claims.length + maybe + unknown) found('hidden capture', `${pair} cents: Letpay captured ${captured}, items say [${who}]`);
	}
	for (const report of reports.filter((item) => item.label === 'already_captured')) {
		const all = [...observation.earlier, ...observation.ledger].filter((capture) => keyOf(capture.paymentToken) === report.key);
		if (all.length !== 1 || all[0].amountCents !== report.cents) {
			found('false already-captured', `e${report.execution + 1}#${report.index} ${report.key} ${report.cents}: Letpay holds [${all.map((capture) => capture.amountCents).join(', ')}]`);
		}
	}
}

/** At most once, counted from the request log: what reached Letpay, not what the ledger kept. */
function checkRequestLog(scenario: Scenario, observation: Observation, found: (kind: string, detail: string) => void) {
	const captures = observation.requests.flatMap((request) => {
		const match = CAPTURE_PATH.exec(request.path);
		const execution = Number(request.execution?.replace('execution-', '')) - 1;
		return match && scenario.executions[execution] ? [{ request, key: keyOf(decodeURIComponent(match[1])), execution }] : [];
	});
	const byExecution = new Map<string, typeof captures>();
	for (const capture of captures) {
		const group = `${capture.execution} ${capture.key}`;
		byExecution.set(group, [...(byExecution.get(group) ?? []), capture]);
	}
	for (const [group, sent] of byExecution) {
		const [execution, key] = group.split(' ');
		const first = sent.findIndex(({ request }) => request.reached);
		if (sent.filter(({ request }) => request.reached).length > 1) found('two captures in one execution', `execution ${Number(execution) + 1}, ${key}`);
		if (first >= 0 && first < sent.length - 1) {
			found('capture resent after Letpay may have processed it', `execution ${Number(execution) + 1}, ${key}: ${sent.map(({ request }) => request.status).join(' -> ')}`);
		}
	}
	// A process that checks first must not send a payment it has sent a capture of that Letpay took.
	const checksFirst = (execution: number) => scenario.executions[execution].tool || scenario.executions[execution].options.checkBeforeCapture;
	const takenBy = new Map<string, number>();
	for (const { request, key, execution } of captures) {
		const processKey = `${scenario.executions[execution].process} ${key}`;
		const taker = takenBy.get(processKey);
		if (taker !== undefined && taker !== execution && request.reached && checksFirst(execution)) {
			found('repeat captured while checking first', `${key}: execution ${execution + 1} sent a capture after execution ${taker + 1}'s was taken (${request.status})`);
		}
		if (request.captured && taker === undefined) takenBy.set(processKey, execution);
	}
	for (const request of observation.requests.filter((logged) => logged.path === REDIRECT_PATH)) found('redirect followed', `${request.method} ${request.path}`);
}

function withoutRefreshTokens(value: unknown): unknown {
	return JSON.parse(JSON.stringify(value, (key, inner: unknown) => (key === 'refreshToken' ? undefined : inner)));
}

function checkSecrets(scenario: Scenario, observation: Observation, found: (kind: string, detail: string) => void) {
	observation.executions.forEach(({ run }, execution) => {
		if (!run) return;
		const optedIn = scenario.executions[execution].options.includeRefreshToken;
		const error = run.error as (Error & IDataObject) | undefined;
		const text = JSON.stringify([optedIn ? withoutRefreshTokens(run.run.data.resultData) : run.run.data.resultData, error?.message, error?.description]);
		const leaks = findLeaks(text, observation.secrets);
		if (leaks.length > 0) found('secret leaked', `execution ${execution + 1}: ${leaks.join(', ')}`);
	});
	const inLogs = findLeaks(observation.logs.join('\n'), observation.secrets);
	if (inLogs.length > 0) found('secret leaked', `logs: ${inLogs.join(', ')}`);
}

function checkSignIns(scenario: Scenario, observation: Observation, found: (kind: string, detail: string) => void) {
	const lifetimes = observation.tokensExpired ? 2 : 1;
	const refusals = scenario.payments.flatMap((payment) => [...payment.captureFaults, ...payment.lookupFaults]).filter((name) => name === 'plain 401').length;
	observation.signIns.forEach((signIns, process) => {
		if (signIns > SIGN_INS_PER_LIFETIME * lifetimes + refusals) {
			found('too many sign-ins', `process ${process + 1}: ${signIns} sign-ins in ${lifetimes} token lifetime(s), ${refusals} token(s) refused out of turn`);
		}
	});
}

/** Returns how many items were held against a prediction. */
function checkPredictions(scenario: Scenario, reports: ItemReport[][], found: (kind: string, detail: string) => void): number {
	let predicted = 0;
	reports.forEach((items, execution) =>
		items.forEach((report, index) => {
			const expected = predictedLabels(scenario, execution, index);
			if (!expected || report.label === undefined || report.label === 'not_sent') return;
			predicted++;
			const captured = report.label === 'captured_or_already' && (expected.includes('captured') || expected.includes('already_captured'));
			if (!captured && !expected.includes(report.label)) {
				found('unexpected outcome', `e${execution + 1}#${index} ${report.key}: ${report.label}, predicted ${expected.join(' or ')}`);
			}
		}),
	);
	return predicted;
}

/** Every violation of the promise in one scenario, and how many items had a predicted outcome. */
export function checkScenario(scenario: Scenario, observation: Observation): { violations: Violation[]; predicted: number } {
	const violations: Violation[] = [];
	const found = (kind: string, detail: string) => violations.push({ kind, detail });
	const reports = readItemReports(scenario, observation, found);
	checkLedger(scenario, observation, reports.flat(), found);
	checkRequestLog(scenario, observation, found);
	checkSecrets(scenario, observation, found);
	checkSignIns(scenario, observation, found);
	const predicted = checkPredictions(scenario, reports, found);
	return { violations, predicted };
}
