import { EXAMPLES, exampleWithCredential, HARMLESS_WEBHOOK_PROBE, prepareN8n, SETTLED_WEBHOOK_PATH, type LetpayAccount } from '../../scripts/lib/examples';
import type { N8nInstance } from '../../scripts/lib/n8nInstance';
import { progress, sleep } from '../../scripts/lib/processes';
import { startQueueMode, type QueueModeN8n } from '../../scripts/lib/queueMode';
import type { N8nRuntime } from '../../scripts/lib/runtimes';
import { ensureDebianPackages, startPostgres, startRedis, type PostgresServer, type RedisServer } from '../../scripts/lib/services';
import { DEFAULT_API_KEY, startLetpayEmulator, type LetpayEmulator } from '../letpayEmulator';
import { expectEqual } from './assertions';
import { executionsMentioning, executionStatuses } from './queueModeDatabase';
import { sendTwiceAtOnce, sendWebhooks, type WebhookLoad } from './webhookLoad';

/*
 * n8n 2.x in queue mode: main takes the webhooks, two workers run the executions, all on one
 * PostgreSQL and one Redis (Debian's packages, installed when missing, thrown away after). Letpay
 * keeps only the newest access token valid, and every token expires in the middle of the load:
 * the workers' token renewals must not revoke each other into lost captures, and two webhooks for
 * one payment on two workers must move the money once. A second load has Letpay hand out a new
 * token with every answer (each one revoking the token before it): the workers hand tokens to
 * each other through n8n's credential store rather than signing in. Then the first load through
 * one ordinary n8n process, for the throughput figure.
 */
export const WEBHOOKS = Number(process.env.LETPAY_QUEUE_WEBHOOKS ?? 1000);
const IN_FLIGHT = 20;
const WORKERS = 2;
const DUPLICATE_PAIRS = 10;
/**
 * Sign-ins allowed per worker per token lifetime. Seen: 2-4 for 2 workers at the start (both begin
 * with no token and may revoke each other's first one), 1-3 after an expiry.
 */
const SIGN_INS_PER_WORKER = 3;

export interface Check {
	name: string;
	run: () => Promise<void> | void;
}

interface LoadResult {
	load: WebhookLoad;
	tokens: string[];
	authCalls: { before: number; after: number };
	/** Capture requests Letpay refused with a plain 401 (expired or revoked token), each resent. */
	refused: number;
}

/** 1,000 webhooks, 20 in flight; all access tokens expire when half of them are answered. */
async function captureLoad(n8n: N8nInstance, emulator: LetpayEmulator, tag: string): Promise<LoadResult> {
	const tokens = Array.from({ length: WEBHOOKS }, (_v, index) => `${tag}-pay-${index + 1}`);
	for (const paymentToken of tokens) emulator.preAuthorize({ paymentToken, amount: '10.00' });
	const authAtStart = emulator.authCalls;
	const requestsAtStart = emulator.requests.length;
	let atExpiry = authAtStart;
	const load = await sendWebhooks(`${n8n.url}/webhook/letpay-capture`, tokens, {
		inFlight: IN_FLIGHT,
		afterAnswers: [
			Math.floor(WEBHOOKS / 2),
			() => {
				atExpiry = emulator.authCalls;
				emulator.expireAccessTokens();
			},
		],
	});
	const refused = emulator.requests.slice(requestsAtStart).filter((request) => request.path.endsWith('/capture') && request.status === 401).length;
	return { load, tokens, authCalls: { before: atExpiry - authAtStart, after: emulator.authCalls - atExpiry }, refused };
}

function ledgerChecks(emulator: LetpayEmulator, { load, tokens }: LoadResult, where: string): Check[] {
	return [
		{
			name: `${where}: every webhook answered 200 captured, ${(tokens.length / load.seconds).toFixed(1)} captures/s`,
			run: () => {
				const wrong = load.answers.filter((answer) => answer.status !== 200 || answer.body.captured !== true);
				expectEqual('answers', load.answers.length, tokens.length);
				expectEqual('answers other than 200 captured (first 3)', wrong.slice(0, 3), []);
			},
		},
		{
			name: `${where}: Letpay's ledger holds each payment once, 10.00: 0 double captures, 0 lost`,
			run: () => {
				const counts = tokens.map((token) => emulator.capturesOf(token).map((capture) => capture.amountCents));
				expectEqual('payments captured twice', counts.filter((cents) => cents.length > 1).length, 0);
				expectEqual('payments not captured', counts.filter((cents) => cents.length === 0).length, 0);
				expectEqual('amounts other than 1000 cents', counts.flat().filter((cents) => cents !== 1000).length, 0);
			},
		},
	];
}

function signInCheck({ authCalls, refused }: LoadResult, where: string): Check {
	return {
		name: `${where}: /auth calls ${authCalls.before} before the expiry, ${authCalls.after} after, ${refused} captures refused with an expired or revoked token and resent (at most ${SIGN_INS_PER_WORKER} sign-ins per worker per token lifetime)`,
		run: () => {
			if (authCalls.after < 1) throw new Error('no sign-in after the expiry: the tokens did not expire, the case did not happen');
			const most = SIGN_INS_PER_WORKER * WORKERS;
			if (authCalls.before > most || authCalls.after > most) throw new Error(`more than ${most} sign-ins: ${JSON.stringify(authCalls)}`);
		},
	};
}

async function waitForWorkers(queue: QueueModeN8n, earlier: Set<string>, count: number) {
	// Respond to Webhook answers before its execution ends: the workers' logs say when they end.
	const deadline = Date.now() + 60_000;
	while ([...queue.whoRan().keys()].filter((id) => !earlier.has(id)).length < count && Date.now() < deadline) await sleep(200);
}

async function duplicatesAcrossWorkers(queue: QueueModeN8n, emulator: LetpayEmulator, postgres: PostgresServer): Promise<Check[]> {
	const pairs: Array<{ token: string; statuses: number[] }> = [];
	for (let index = 1; index <= DUPLICATE_PAIRS; index++) {
		const token = `twice-pay-${index}`;
		emulator.preAuthorize({ paymentToken: token, amount: '10.00' });
		const answers = await sendTwiceAtOnce(`${queue.main.url}/webhook/letpay-capture`, token);
		pairs.push({ token, statuses: answers.map((answer) => answer.status).sort() });
	}
	await sleep(2_000);
	const ran = queue.whoRan();
	const workersOf = await Promise.all(pairs.map(async ({ token }) => new Set((await executionsMentioning(postgres, token)).map((id) => ran.get(id)))));
	const split = workersOf.filter((workers) => workers.size === 2).length;
	return [
		{
			name: `same payment in two webhooks at once, ${DUPLICATE_PAIRS} times (${split} pairs ran on both workers): one 200 captured, one 409 already captured, money moved once`,
			run: () => {
				expectEqual('answers per pair', pairs.filter((pair) => pair.statuses.join() !== '200,409'), []);
				expectEqual('captures per payment', pairs.map(({ token }) => emulator.capturesOf(token).length), pairs.map(() => 1));
				if (split === 0) throw new Error('no pair ran on two workers: the case did not happen');
			},
		},
	];
}

/** Notifications to the Letpay Trigger sent at once, at most. */
const NOTIFICATIONS_IN_FLIGHT = 10;
/** Below the example's Look-Ups per Minute (60): every notification is looked up. */
const NOTIFICATIONS = 50;

/**
 * Webhooks reach main, so the Letpay Trigger's look-ups run there, with an access token of main's
 * own: Letpay's notifications of captured payments (PROCESSING, which the example filters out)
 * make main look each payment up. Counted: main's sign-ins, while the workers are idle.
 */
async function triggerOnMain(main: N8nInstance, emulator: LetpayEmulator, captured: string[]): Promise<Check> {
	const url = `${main.url}/webhook/${SETTLED_WEBHOOK_PATH}`;
	const authBefore = emulator.authCalls;
	const lookupsBefore = emulator.requests.filter((request) => request.path.startsWith('/transactionDetails')).length;
	const statuses: number[] = [];
	const payments = captured.slice(0, NOTIFICATIONS);
	for (let start = 0; start < payments.length; start += NOTIFICATIONS_IN_FLIGHT) {
		const batch = payments.slice(start, start + NOTIFICATIONS_IN_FLIGHT).map(async (paymentToken) => {
			const response = await fetch(url, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ payment_token: paymentToken, transaction_status: 'PROCESSING' }) });
			statuses.push(response.status);
		});
		await Promise.all(batch);
	}
	const signIns = emulator.authCalls - authBefore;
	const lookups = emulator.requests.filter((request) => request.path.startsWith('/transactionDetails')).length - lookupsBefore;
	return {
		name: `queue mode, Letpay Trigger on main: ${payments.length} notifications answered, ${lookups} look-ups by main, ${signIns} sign-ins by main`,
		run: () => {
			expectEqual('answers other than 200', statuses.filter((status) => status !== 200).length, 0);
			expectEqual('look-ups', lookups >= payments.length, true);
			if (signIns > 1) throw new Error(`main signed in ${signIns} times for ${payments.length} look-ups (at most once: one token for all its look-ups)`);
		},
	};
}

export async function queueModeChecks(runtime: N8nRuntime, tarball: string): Promise<Check[]> {
	progress('queue mode: PostgreSQL and Redis from Debian packages (installed if missing)...');
	await ensureDebianPackages(['postgresql', 'redis-server']);
	const emulator = await startLetpayEmulator({ accessTokens: 'newest-only', captureLatencyMs: 20 });
	const account: LetpayAccount = { baseUrl: emulator.url, ...DEFAULT_API_KEY };
	let postgres: PostgresServer | undefined;
	let redis: RedisServer | undefined;
	let queue: QueueModeN8n | undefined;
	const checks: Check[] = [];
	try {
		postgres = await startPostgres();
		redis = await startRedis();
		progress(`queue mode: n8n ${runtime.version} main + ${WORKERS} workers...`);
		queue = await startQueueMode({ runtime, tarball, account, postgres, redis, workers: WORKERS, concurrency: 10 });
		await queue.main.waitForWebhook('letpay-capture', HARMLESS_WEBHOOK_PROBE);
		await sleep(1_000);
		const earlier = new Set(queue.enqueued());
		progress(`queue mode: ${WEBHOOKS} webhook captures, ${IN_FLIGHT} in flight, access tokens expire half-way...`);
		const queued = await captureLoad(queue.main, emulator, 'queue');
		await waitForWorkers(queue, earlier, WEBHOOKS);
		const ran = [...queue.whoRan()].filter(([id]) => !earlier.has(id));
		const perWorker = queue.workers.map((worker) => ran.filter(([, index]) => index === worker.index).length);
		const statuses = await executionStatuses(postgres);
		checks.push(...ledgerChecks(emulator, queued, `queue mode, ${WORKERS} workers, ${WEBHOOKS} webhooks`), {
			name: `queue mode: both workers ran the executions (${perWorker.join(' + ')}), all successful in PostgreSQL`,
			run: () => {
				expectEqual('executions finished by workers', ran.length, WEBHOOKS);
				expectEqual('workers without executions', perWorker.filter((count) => count === 0).length, 0);
				expectEqual('executions not successful', ran.filter(([id]) => statuses.get(id) !== 'success').length, 0);
			},
		}, signInCheck(queued, 'queue mode'));
		progress('queue mode: the same payment in two webhooks at once...');
		checks.push(...(await duplicatesAcrossWorkers(queue, emulator, postgres)));
		progress(`queue mode: ${WEBHOOKS} more webhook captures, Letpay handing out a new token with every answer...`);
		emulator.configure({ refreshTokenMode: 'rotate' });
		const rotating = await captureLoad(queue.main, emulator, 'rotating');
		emulator.configure({ refreshTokenMode: 'same' });
		const where = `queue mode, rotating tokens (each answer revokes the token before it), ${WORKERS} workers, ${WEBHOOKS} webhooks`;
		checks.push(...ledgerChecks(emulator, rotating, where), signInCheck(rotating, 'queue mode, rotating tokens'));
		progress(`queue mode: ${NOTIFICATIONS} notifications to the Letpay Trigger on main...`);
		checks.push(await triggerOnMain(queue.main, emulator, queued.tokens));
		await queue.stop();
		queue = undefined;

		progress(`one n8n process: the same ${WEBHOOKS} webhook captures, for comparison...`);
		const single = await prepareN8n(runtime, tarball, account);
		try {
			await single.activate(exampleWithCredential(EXAMPLES.webhook).id);
			await single.start();
			await single.waitForWebhook('letpay-capture', HARMLESS_WEBHOOK_PROBE);
			const alone = await captureLoad(single, emulator, 'single');
			checks.push(...ledgerChecks(emulator, alone, `one n8n process (SQLite), ${WEBHOOKS} webhooks`));
		} finally {
			await single.stop();
		}
	} catch (error) {
		checks.push({ name: 'queue mode set-up and load', run: () => Promise.reject(error) });
	} finally {
		await queue?.stop();
		await redis?.stop();
		await postgres?.stop();
		await emulator.close();
	}
	return checks;
}
