import type { IDataObject } from 'n8n-workflow';

import { startLetpayEmulator, type EmulatorOptions, type LetpayEmulator } from '../letpayEmulator';
import { createCredentials, runCaptureWorkflow, type CaptureWorkflow } from './runWorkflow';

export const API_KEY = 'sandbox-key';
export const API_SECRET = 'sandbox-secret';

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
	testbed.run = async (spec) => await runCaptureWorkflow(spec, testbed.credentials);
	return testbed;
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
