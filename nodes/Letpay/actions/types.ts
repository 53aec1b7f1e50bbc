import type { IDataObject } from 'n8n-workflow';

import type { LetpayErrorReport } from '../errors/explainFailure';
import type { ItemFacts } from '../errors/toNodeApiError';

/** An operation reports Letpay's refusals as data; only the router decides to fail the node. */
export type OperationOutcome =
	/** One output item, or (Get Many) any number of them, all paired with the input item. */
	| { ok: true; json: IDataObject | IDataObject[] }
	| { ok: false; report: LetpayErrorReport; facts: ItemFacts };
