import { randomUUID } from 'node:crypto';

import type { IDataObject } from 'n8n-workflow';

import { capturedLogs } from '../../helpers/capturedLogs';
import { LETPAY_NODE_TYPE, LETPAY_TOOL_TYPE } from '../../helpers/testNodes';
import { runWorkflowWith, type CaptureRun } from '../../helpers/engine';
import { startLetpayEmulator, type CaptureRecord, type RequestRecord } from '../../letpayEmulator';
import { AUTH_FAULTS, CAPTURE_FAULTS, LOOKUP_FAULTS, SLOW_SIGN_IN_MS } from './faults';
import { notifyPayments, type NotificationCheck } from './notifications';
import { credentialHelpers, processName, type N8nProcess } from './processes';
import { spell, type ExecutionPlan, type ItemPlan, type Scenario } from './scenario';

/** What one scenario left behind: each execution's outputs, Letpay's ledger and request log. */
export interface Observation {
	executions: Array<{ orders: IDataObject[]; run?: CaptureRun; thrown?: Error; finishedAt: number }>;
	/** Captures made during the scenario (the ones made the day before are in `earlier`). */
	ledger: CaptureRecord[];
	earlier: CaptureRecord[];
	requests: RequestRecord[];
	/** Key, secret, and every access token Letpay issued. */
	secrets: string[];
	/** Successful sign-ins, per process. */
	signIns: number[];
	tokensExpired: boolean;
	faultsServed: number;
	logs: string[];
	/** The Letpay Trigger's answers to notifications sent after the executions (notifications.ts). */
	notifications: NotificationCheck[];
}

export const executionId = (index: number) => `execution-${index + 1}`;

const amountText = (cents: number) => (cents / 100).toFixed(2);
const ODD_AMOUNTS = new Map<string, unknown>([
	['amount 12.345', 12.345],
	['amount abc', 'abc'],
	['amount -5', -5],
]);

/**
 * The input item n8n hands the node: the fields a shop's webhook or export carries. Its `amount`
 * is the order's total and `error` is null: with Include Input Fields, neither may stand in for
 * what the node reports (the capture's amount is `captureAmount`).
 */
export function orderOf(item: ItemPlan, scenario: Scenario, index: number): IDataObject {
	const payment = scenario.payments[item.payment];
	const order: IDataObject = { orderId: `order-${index + 1}`, amount: amountText(payment.authorizedCents + 1), error: null };
	if ('odd' in item) {
		// A Map: an object literal would answer `constructor` with Object itself.
		const captureAmount = ODD_AMOUNTS.get(item.odd);
		return { ...order, paymentToken: captureAmount === undefined ? item.odd : payment.token, captureAmount: captureAmount ?? 10 };
	}
	return { ...order, paymentToken: spell(payment.token, item.spelling), captureAmount: item.asText ? amountText(item.cents) : item.cents / 100 };
}

function parametersOf(execution: ExecutionPlan): IDataObject {
	const { concurrency, ...options } = execution.options;
	return {
		amount: '={{ $json.captureAmount }}',
		options: {
			...options,
			// An expression that reads a field the items do not have: Number(undefined) is NaN.
			concurrency: concurrency === 'NaN' ? '={{ Number($json.parallel) }}' : concurrency,
		},
	};
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Runs a scenario against its own emulator (its own origin, so the node's memories of other scenarios never apply). */
export async function runScenario(drawn: Scenario, processes: N8nProcess[]): Promise<Observation> {
	// The processes outlive a scenario, and a closed emulator's port (its origin) is handed out
	// again: payment tokens of their own keep a scenario clear of the node's memory of earlier ones.
	const salt = randomUUID().slice(0, 8);
	const scenario = { ...drawn, payments: drawn.payments.map((payment) => ({ ...payment, token: `${payment.token}-${salt}` })) };
	const emulator = await startLetpayEmulator({ ...scenario.letpay, apiKeys: [] });
	try {
		const account = { apiKey: `model-key-${randomUUID().slice(0, 8)}`, apiSecret: `model-secret-${randomUUID()}` };
		emulator.addApiKey(account);
		for (const payment of scenario.payments) {
			if (payment.preAuthorized) {
				emulator.preAuthorize({
					paymentToken: payment.token,
					amount: amountText(payment.authorizedCents),
					refusePartialCapture: payment.refusePartialCapture,
					expired: payment.expired,
					...(payment.status ? { status: payment.status } : {}),
					...(payment.capturedBeforeCents > 0 ? { capturedBefore: amountText(payment.capturedBeforeCents) } : {}),
				});
			}
			for (const name of payment.captureFaults) emulator.injectFault(payment.token, CAPTURE_FAULTS[name]);
			for (const name of payment.lookupFaults) emulator.injectLookupFault(payment.token, LOOKUP_FAULTS[name]);
		}
		for (const name of scenario.authFaults) emulator.injectAuthFault(AUTH_FAULTS[name]);
		const earlier = emulator.allCaptures();
		const helpers = credentialHelpers(processes.slice(0, scenario.processes), { environment: 'custom', baseUrl: emulator.url, ...account });
		const logStart = capturedLogs.length;

		const executions = await Promise.all(
			scenario.executions.map(async (execution, index) => {
				const orders = execution.items.map((item, itemIndex) => orderOf(item, scenario, itemIndex));
				await sleep(execution.startAfterMs);
				try {
					const run = await runWorkflowWith(
						processes[execution.process].nodeTypes,
						{
							orders,
							workflowId: executionId(index),
							nodeType: execution.tool ? LETPAY_TOOL_TYPE : LETPAY_NODE_TYPE,
							onError: execution.onError,
							parameters: parametersOf(execution),
						},
						helpers[execution.process],
					);
					return { orders, run, finishedAt: Date.now() };
				} catch (thrown) {
					return { orders, thrown: thrown as Error, finishedAt: Date.now() };
				}
			}),
		);
		// A request must never go out after its item reported: wait out the slowest sign-in before reading the log.
		await sleep(scenario.authFaults.includes('slow sign-in') ? SLOW_SIGN_IN_MS + 300 : 250);
		const ledger = emulator.allCaptures();
		// What the executions did, read before the trigger's look-ups join the log.
		const requests = [...emulator.requests];
		const signIns = helpers.map((_helper, index) => requests.filter((request) => request.path === '/auth' && request.status === 200 && request.process === processName(index)).length);
		const faultsServed = emulator.faultsServed;
		const notifications = await notifyPayments(scenario, processes[0], helpers[0], ledger);
		return {
			executions,
			ledger: ledger.slice(earlier.length),
			earlier,
			requests,
			secrets: [account.apiKey, account.apiSecret, ...emulator.issuedAccessTokens],
			signIns,
			tokensExpired: requests.length >= (scenario.letpay.expireTokensAfterRequests ?? Infinity),
			faultsServed,
			logs: capturedLogs.slice(logStart),
			notifications,
		};
	} finally {
		await emulator.close();
	}
}
