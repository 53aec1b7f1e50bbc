import type { ClientRequest } from 'node:http';

import { deliver } from './notificationDelivery';
import { notificationBody } from './notificationBody';
import { statusOf } from './lookup';
import type { LetpayState, Payment } from './state';
import type { NotificationFault, NotificationRecord, NotifyOptions } from './types';

/** A notification ready to go: its body was written when the status changed. */
export interface Outgoing {
	url: string;
	paymentToken: string;
	status?: string;
	body: string;
}

/** Timers the emulator owns: reset() and close() cancel them, and their waiters learn it (false). */
class Timers {
	private readonly pending = new Map<NodeJS.Timeout, () => void>();

	wait(ms: number): Promise<boolean> {
		return new Promise((resolve) => {
			const timer = setTimeout(() => {
				this.pending.delete(timer);
				resolve(true);
			}, ms);
			// A forgotten emulator must not keep a test process alive for a 60 s settlement.
			timer.unref();
			this.pending.set(timer, () => resolve(false));
		});
	}

	cancelAll() {
		for (const [timer, cancel] of this.pending) {
			clearTimeout(timer);
			cancel();
		}
		this.pending.clear();
	}
}

/**
 * Letpay's calls to a payment's `notification_url` when its status changes. Letpay documents
 * neither the body, nor a signature, nor retries, nor ordering: the shape is an option, and the
 * faults (NotificationFault) let a test send what Letpay might. Sending never blocks an answer of
 * Letpay's API: every notification goes out on its own.
 */
export class Notifier {
	/** Every notification sent, in the order sent; each record is completed when answered. */
	readonly log: NotificationRecord[] = [];
	/** Notifications kept back by a `hold` fault, oldest first. */
	readonly held: Outgoing[] = [];
	readonly faults = new Map<string, NotificationFault[]>();
	private readonly timers = new Timers();
	private readonly inFlight = new Set<Promise<unknown>>();
	private readonly open = new Set<ClientRequest>();
	/** Bumped by reset(): what was under way before it sends nothing more. */
	private generation = 0;

	constructor(private readonly state: LetpayState) {}

	private urlFor(payment?: Payment): string | undefined {
		return payment?.notificationUrl ?? this.state.options.notificationUrl;
	}

	/** A payment's first capture was accepted: PROCESSING now, PAID (or DECLINED) `paidAfterMs` later. */
	captureAccepted(payment: Payment) {
		// Without a URL Letpay calls nobody, and no timer is kept per capture (benchmarks capture thousands).
		if (!this.urlFor(payment)) return;
		this.statusChanged(payment, 'PROCESSING');
		void this.timers.wait(this.state.options.paidAfterMs).then((elapsed) => {
			const current = this.state.payments.get(this.state.paymentKey(payment.paymentToken)) === payment;
			// Refunded or canceled meanwhile (setStatus), or pre-authorized anew: it never settles.
			if (!elapsed || !current || payment.status) return;
			payment.settled = true;
			this.statusChanged(payment, payment.declineCapture ? 'DECLINED' : 'PAID');
		});
	}

	statusChanged(payment: Payment, status: string) {
		const url = this.urlFor(payment);
		if (url) void this.dispatch(this.outgoing(payment.paymentToken, url, { status }));
	}

	/** Sent by hand (through the payment's faults, like Letpay's own), to any URL, with any body. */
	notify(paymentToken: string, options: NotifyOptions = {}): Promise<NotificationRecord[]> {
		const url = options.url ?? this.urlFor(this.state.payments.get(this.state.paymentKey(paymentToken)));
		if (!url) throw new Error(`No notification URL for ${paymentToken}: pass url, or give the payment or the emulator one`);
		return this.dispatch(this.outgoing(paymentToken, url, options));
	}

	/** The body as Letpay would write it now, unless the test wrote one. */
	private outgoing(paymentToken: string, url: string, options: NotifyOptions): Outgoing {
		if (options.body !== undefined) {
			const body = typeof options.body === 'string' ? options.body : JSON.stringify(options.body);
			return { url, paymentToken, status: options.status, body };
		}
		const payment = this.state.payments.get(this.state.paymentKey(paymentToken));
		// A payment Letpay never saw (a forged notification) claims PAID unless told otherwise.
		const status = options.status ?? (payment ? statusOf(this.state, payment).status : 'PAID');
		const tookNothing = status === 'DECLINED' || status === 'CANCELED';
		const facts = {
			paymentToken: payment?.paymentToken ?? paymentToken,
			status,
			reference: payment?.reference,
			currency: payment?.currency ?? 'BRL',
			orderCents: payment?.authorizedCents ?? 0,
			paymentCents: payment && !tookNothing ? this.state.capturedCents(paymentToken) : 0,
			refundedCents: payment?.refundedCents ?? 0,
			at: this.state.now(),
		};
		const body = notificationBody(options.shape ?? this.state.options.notificationShape, facts);
		return { url, paymentToken: facts.paymentToken, status, body: JSON.stringify(body) };
	}

	/** Applies the payment's next fault, if any; resolves with the records of what was sent. */
	private dispatch(outgoing: Outgoing): Promise<NotificationRecord[]> {
		const fault = this.state.faultsFor(this.faults, outgoing.paymentToken).shift();
		if (fault?.kind === 'hold') {
			this.held.push(outgoing);
			return Promise.resolve([]);
		}
		return this.track(this.sendWith(fault, outgoing));
	}

	private async sendWith(fault: NotificationFault | undefined, outgoing: Outgoing): Promise<NotificationRecord[]> {
		if (fault?.kind === 'late' && !(await this.timers.wait(fault.ms))) return [];
		if (fault?.kind !== 'duplicate') return this.inOrder([outgoing]);
		const copies = Array.from({ length: fault.count }, () => outgoing);
		return fault.concurrent ? Promise.all(copies.map((copy) => this.send(copy))) : this.inOrder(copies);
	}

	/** Sends the held notifications, each once the one before was answered, so they arrive in this order. */
	release(order: 'newest-first' | 'oldest-first'): Promise<NotificationRecord[]> {
		const released = this.held.splice(0);
		if (order === 'newest-first') released.reverse();
		return this.track(this.inOrder(released));
	}

	private async inOrder(list: Outgoing[]): Promise<NotificationRecord[]> {
		const generation = this.generation;
		const records: NotificationRecord[] = [];
		for (const outgoing of list) {
			if (this.generation !== generation) break;
			records.push(await this.send(outgoing));
		}
		return records;
	}

	private send(outgoing: Outgoing): Promise<NotificationRecord> {
		const record: NotificationRecord = { ...outgoing, at: Date.now(), result: 'pending' };
		this.log.push(record);
		return deliver(record, this.state.options.notificationTimeoutMs, this.open);
	}

	private track<T>(promise: Promise<T>): Promise<T> {
		this.inFlight.add(promise);
		void promise.finally(() => this.inFlight.delete(promise));
		return promise;
	}

	/** Resolves once nothing is being sent or waiting to be sent late (held ones wait for release()). */
	async idle(): Promise<void> {
		while (this.inFlight.size > 0) await Promise.allSettled([...this.inFlight]);
	}

	/** Forgets the log, held notifications, faults and timers; what is on the wire ends on its own. */
	reset() {
		this.generation++;
		this.timers.cancelAll();
		this.held.length = 0;
		this.faults.clear();
		this.log.length = 0;
	}

	/** For close(): also ends the requests under way (recorded as failed). */
	stop() {
		this.reset();
		for (const request of this.open) request.destroy(new Error('emulator closed'));
	}
}
