import type { IDataObject } from 'n8n-workflow';

import { startLetpayEmulator, type EmulatorOptions, type LetpayEmulator } from '../letpayEmulator';
import { capturedLogs } from './capturedLogs';
import { createCredentials, runCaptureWorkflow, type CaptureRun, type CaptureWorkflow } from './runWorkflow';
import { API_KEY, API_SECRET, findLeaks, logsSince, secretsOf } from './secrets';

export { API_KEY, API_SECRET };

export interface Testbed {
	emulator: LetpayEmulator;
	credentials: ReturnType<typeof createCredentials>;
	run(spec: CaptureWorkflow): ReturnType<typeof runCaptureWorkflow>;
}

/**
 * One emulator per test file, a fresh credential store and a clean emulator per test: every
 * test starts with no access token, like a credential that was just saved in n8n.
 */
export function useTestbed(options: EmulatorOptions = {}, credentialOverrides: IDataObject = {}): Testbed {
	const testbed = {} as Testbed;
	beforeAll(async () => {
		testbed.emulator = await startLetpayEmulator(options);
	});
	afterAll(async () => await testbed.emulator.close());
	beforeEach(() => {
		testbed.emulator.reset();
		testbed.credentials = createCredentials();
		testbed.credentials.store('letpayApi', {
			environment: 'custom',
			baseUrl: testbed.emulator.url,
			apiKey: API_KEY,
			apiSecret: API_SECRET,
			...credentialOverrides,
		});
	});
	testbed.run = async (spec) => {
		const logStart = capturedLogs.length;
		const result = await runCaptureWorkflow(spec, testbed.credentials);
		expectNoLeaks(result, logsSince(logStart), secretsOf(testbed.emulator), spec);
		return result;
	};
	return testbed;
}

/**
 * Every engine run in every suite: no API key, secret or issued access token in the run data
 * (output items, errors with their messages and descriptions) or in what n8n logged. The one
 * exception is the refreshed token a user asked for explicitly.
 */
function expectNoLeaks(result: CaptureRun, logs: string, secrets: string[], spec: CaptureWorkflow) {
	const optedIn = (spec.parameters?.options as IDataObject | undefined)?.includeRefreshToken === true;
	const runData = optedIn ? JSON.stringify(result.error ?? {}) : JSON.stringify(result.run.data.resultData);
	const leaks = [...findLeaks(runData, secrets), ...findLeaks(logs, secrets)];
	if (leaks.length > 0) throw new Error(`secrets leaked into the run data or the logs: ${leaks.join(', ')}`);
}

/** Ledger view: captured cents per payment token. */
export function ledger(emulator: LetpayEmulator): Record<string, number[]> {
	const view: Record<string, number[]> = {};
	for (const capture of emulator.allCaptures()) {
		(view[capture.paymentToken] ??= []).push(capture.amountCents);
	}
	return view;
}

export function captureRequests(emulator: LetpayEmulator) {
	return emulator.requests.filter((request) => request.path.endsWith('/capture'));
}
