import { randomUUID } from 'node:crypto';

import type { IDataObject } from 'n8n-workflow';

import { accountKey, issuedFor } from '../../nodes/Letpay/transport/accessTokens';

import { startLetpayEmulator, type EmulatorOptions, type LetpayEmulator } from '../letpayEmulator';
import { capturedLogs } from './capturedLogs';
import { createCredentials, runCaptureWorkflow, type CaptureRun, type CaptureWorkflow } from './runWorkflow';
import { findLeaks, logsSince, secretsOf, type ApiKeyPair } from './secrets';

export interface Testbed {
	emulator: LetpayEmulator;
	/** This test's own key pair: no access token of an earlier test can be reused for it. */
	account: ApiKeyPair;
	credentials: ReturnType<typeof createCredentials>;
	run(spec: CaptureWorkflow): ReturnType<typeof runCaptureWorkflow>;
	/** What the leak check of every run in this file looked at, and what it found. */
	readonly leakChecks: LeakChecks;
}

/** Counted by the leak check that every `testbed.run` makes, so a report can say what was checked. */
export interface LeakChecks {
	/** Engine runs checked. */
	runs: number;
	/** Items that left the Letpay node (both outputs), checked as part of the run data. */
	outputItems: number;
	/** Lines n8n logged during the runs, all checked. */
	logLines: number;
	/** Secrets found (each run that leaked also fails its test). */
	leaks: number;
}

/**
 * A fresh emulator (on a port, so an origin, of its own) and a fresh credential store per test:
 * every test starts with no access token, like a credential that was just saved in n8n. The node
 * remembers the captures this process sent for 30 minutes, by payment token alone (whatever the
 * origin): tests that capture a payment use a token of their own (freshPaymentToken).
 */
export function useTestbed(options: EmulatorOptions = {}, credentialOverrides: IDataObject = {}): Testbed {
	const testbed = { leakChecks: { runs: 0, outputItems: 0, logLines: 0, leaks: 0 } } as Testbed;
	afterEach(async () => await testbed.emulator.close());
	let tests = 0;
	beforeEach(async () => {
		testbed.emulator = await startLetpayEmulator(options);
		tests += 1;
		// The node keeps one access token per account in the process, as n8n would across
		// executions; a fresh pair per test makes each test start like a credential just created.
		testbed.account = { apiKey: `sandbox-key-${tests}`, apiSecret: `sandbox-secret-${tests}-${randomUUID()}` };
		testbed.emulator.addApiKey(testbed.account);
		testbed.credentials = createCredentials();
		testbed.credentials.store('letpayApi', {
			environment: 'custom',
			baseUrl: testbed.emulator.url,
			...testbed.account,
			...credentialOverrides,
		});
	});
	testbed.run = async (spec) => {
		const logStart = capturedLogs.length;
		const result = await runCaptureWorkflow(spec, testbed.credentials);
		expectNoLeaks(result, logStart, secretsOf(testbed.emulator, testbed.account), spec, testbed.leakChecks);
		return result;
	};
	return testbed;
}

export interface ExpiringTestbed extends Testbed {
	/** From the `count`-th request the emulator logs on, Letpay's clock is an hour later: every access token has expired. */
	expireAfterRequests(count: number): void;
}

/** A testbed whose Letpay clock jumps an hour once the emulator has seen a given number of requests (never, unless told). */
export function useExpiringTestbed(options: EmulatorOptions = {}): ExpiringTestbed {
	let after = Infinity;
	const start = Date.parse('2026-11-24T06:00:00Z');
	const testbed = useTestbed({ ...options, now: () => start + (testbed.emulator.requests.length >= after ? 3_600_000 : 0) }) as ExpiringTestbed;
	beforeEach(() => {
		after = Infinity;
	});
	testbed.expireAfterRequests = (count) => {
		after = count;
	};
	return testbed;
}

/**
 * Every engine run in every suite: no API key, secret or issued access token in the run data
 * (output items, errors with their messages and descriptions) or in what n8n logged. The one
 * exception is the refreshed token a user asked for explicitly.
 */
function expectNoLeaks(result: CaptureRun, logStart: number, secrets: string[], spec: CaptureWorkflow, counts: LeakChecks) {
	const optedIn = (spec.parameters?.options as IDataObject | undefined)?.includeRefreshToken === true;
	const runData = optedIn ? JSON.stringify(result.error ?? {}) : JSON.stringify(result.run.data.resultData);
	const logs = logsSince(logStart);
	const leaks = [...findLeaks(runData, secrets), ...findLeaks(logs, secrets)];
	counts.runs += 1;
	// With the opt-in, only the error is checked: the output items hold the token on purpose.
	if (!optedIn) counts.outputItems += result.success.length + result.failed.length;
	counts.logLines += capturedLogs.length - logStart;
	counts.leaks += leaks.length;
	if (leaks.length > 0) throw new Error(`secrets leaked into the run data or the logs: ${leaks.join(', ')}`);
}

/**
 * Saves `token` in the credential store as n8n does after a sign-in (with what it was issued for),
 * as if an earlier run or another n8n process had got it; `changes` edit the credential meanwhile.
 */
export function storeAccessToken(testbed: Testbed, token: string, changes: IDataObject = {}) {
	const stored = { ...testbed.credentials.storedData('letpayApi'), ...changes };
	const account = accountKey(String(stored.baseUrl), String(stored.apiKey), String(stored.apiSecret));
	testbed.credentials.store('letpayApi', { ...stored, accessToken: token, signedInFor: issuedFor(token, account) });
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

/** The requests whose path starts with `prefix`: '/transactionDetails' (Get), '/payment/reference' (Get Many by Reference). */
export function requestsTo(emulator: LetpayEmulator, prefix: string) {
	return emulator.requests.filter((request) => request.path.startsWith(prefix));
}
