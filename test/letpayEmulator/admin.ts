import type { IncomingMessage, ServerResponse } from 'node:http';

import { sendJson } from './responses';
import type { LetpayState } from './state';
import type { ControlledStatus, Fault, NotificationFault, NotifyOptions, PreAuthorization } from './types';

export const ADMIN_PREFIX = '/__emulator/';

/**
 * Control API for tests and demos that run the emulator in another process (an n8n instance
 * calls Letpay's routes; the test drives and reads the emulator through these). Not Letpay traffic,
 * so not logged as requests.
 */
export async function adminRoutes(
	state: LetpayState,
	request: IncomingMessage,
	response: ServerResponse,
	path: string,
	readBody: (request: IncomingMessage) => Promise<string>,
) {
	const text = await readBody(request);
	const input = (text ? JSON.parse(text) : {}) as Record<string, unknown>;
	switch (`${request.method} ${path.slice(ADMIN_PREFIX.length)}`) {
		case 'POST preauthorize':
			state.preAuthorize(input as unknown as PreAuthorization);
			return sendJson(response, 200, { ok: true });
		case 'POST faults': {
			state.queueFault(state.faultsFor(state.faults, String(input.paymentToken)), input.fault as Fault, Number(input.times ?? 1));
			return sendJson(response, 200, { ok: true });
		}
		case 'POST status':
			state.setStatus(String(input.paymentToken), input.status as ControlledStatus, input as { refundedAmount?: string });
			return sendJson(response, 200, { ok: true });
		case 'POST notify':
			return sendJson(response, 200, { sent: await state.notifier.notify(String(input.paymentToken), input as NotifyOptions) });
		case 'POST notification-faults':
			state.queueFault(state.faultsFor(state.notifier.faults, String(input.paymentToken)), input.fault as NotificationFault, Number(input.times ?? 1));
			return sendJson(response, 200, { ok: true });
		case 'POST release-notifications':
			return sendJson(response, 200, { sent: await state.notifier.release(input.order === 'oldest-first' ? 'oldest-first' : 'newest-first') });
		case 'POST expire-tokens':
			state.expireAccessTokens();
			return sendJson(response, 200, { ok: true });
		case 'POST reset':
			state.reset();
			return sendJson(response, 200, { ok: true });
		case 'GET ledger':
			return sendJson(response, 200, {
				captures: state.captures,
				authCalls: state.authCalls,
				issuedAccessTokens: state.issuedAccessTokens,
				requests: state.requests,
				notifications: state.notifier.log,
				heldNotifications: state.notifier.held,
			});
		default:
			return sendJson(response, 404, { message: `Unknown emulator control route ${path}` });
	}
}
