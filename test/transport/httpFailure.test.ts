import { NodeApiError, type INode, type JsonObject } from 'n8n-workflow';

import { LetpayCredentialsRejectedError } from '../../nodes/Letpay/transport/signIn';
import { readHttpFailure } from '../../nodes/Letpay/validation/letpayAnswer';
import { documentedExamples } from '../helpers/letpayEnvelopes';

const node = { id: '1', name: 'Letpay', type: 'n8n-nodes-letpay.letpay', typeVersion: 1, position: [0, 0], parameters: {} } as INode;

function axiosLikeError(status: number | undefined, data: unknown, code?: string): JsonObject {
	return Object.assign(new Error(status ? `Request failed with status code ${status}` : `connect ${code}`), {
		code,
		response: status ? { status, data, headers: { 'retry-after': '7' } } : undefined,
	}) as unknown as JsonObject;
}

describe('reading what n8n threw for a failed request', () => {
	test('n8n 2.x: NodeApiError with the HTTP client error as cause', () => {
		const error = new NodeApiError(node, axiosLikeError(422, documentedExamples.notPreAuthorized));
		expect(readHttpFailure(error)).toMatchObject({
			status: 422,
			body: documentedExamples.notPreAuthorized,
			headers: { 'retry-after': '7' },
			code: undefined,
		});
	});

	test('n8n 1.x: the cause is dropped, httpCode and context.data remain', () => {
		const shapeOfN8n1 = { message: 'Bad request', httpCode: '422', context: { data: documentedExamples.notPreAuthorized } };
		expect(readHttpFailure(shapeOfN8n1)).toMatchObject({ status: 422, body: documentedExamples.notPreAuthorized });
	});

	test.each([
		['2.x', new NodeApiError(node, axiosLikeError(undefined, undefined, 'ECONNRESET'))],
		['1.x', { message: 'The connection to the server was closed unexpectedly', httpCode: 'ECONNRESET' }],
	])('n8n %s: a socket error keeps its code', (_version, error) => {
		expect(readHttpFailure(error)).toMatchObject({ status: undefined, code: 'ECONNRESET' });
	});

	test.each([
		['2.x', (error: Error) => new NodeApiError(node, error as unknown as JsonObject)],
		['1.x', (error: Error) => ({ message: error.message, httpCode: (error as { errorCode?: string }).errorCode })],
	])("n8n %s: the credential's own refusal is recognised by its errorCode, with its message", (_version, wrap) => {
		const refusal = new LetpayCredentialsRejectedError({ label: 'Sandbox', baseUrl: 'https://api-sandbox.letpay.io' });
		expect(readHttpFailure(wrap(refusal))).toEqual({ headers: {}, message: refusal.message, credentialProblem: refusal.message, credentialErrorCode: 'LETPAY_CREDENTIALS_REJECTED' });
	});
});
