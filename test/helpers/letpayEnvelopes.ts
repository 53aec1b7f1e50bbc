import { TOKEN } from '../letpayEmulator/emulatorClient';

/** Letpay error bodies shaped exactly like the capture page's examples. */
export function letpayErrorBody(
	status: number,
	code: string | undefined,
	message: string,
	extra: Record<string, unknown> = {},
) {
	return {
		timestamp: '2024-01-16T19:57:10.751+0000',
		status,
		error: 'Error',
		message,
		path: `/token/${TOKEN}/capture`,
		...(code === undefined ? {} : { errors: [{ code, description: message }] }),
		refresh_token: 'LIVE_ACCESS_TOKEN_MUST_NOT_LEAK',
		...extra,
	};
}

export const documentedExamples = {
	twoDecimals: letpayErrorBody(400, '00.01.0044', 'amount: Value must have a maximum of two decimal places.'),
	unauthorized: {
		timestamp: '2024-01-16T19:52:18.186+0000',
		status: 401,
		error: 'Unauthorized',
		message: 'Access Denied',
		path: '/token/633de157-9a42-4d30-bbad-bd9fb883e058/capture',
	},
	notPreAuthorized: letpayErrorBody(
		422,
		'00.04.0010',
		"The payment token was not pre-authorized, so it can't be captured.",
	),
	badGateway: letpayErrorBody(
		502,
		'00.03.0001',
		'There was an issue when contacting an external API, please contact support',
	),
};
