import type { IDataObject, NodeApiError } from 'n8n-workflow';

/** An operation reports Letpay's refusals as data; only the router decides to fail the node. */
export type OperationOutcome =
	| { ok: true; json: IDataObject }
	| { ok: false; error: NodeApiError; errorJson: IDataObject };
