import type { IDataObject } from 'n8n-workflow';

import type { LetpayErrorReport } from '../errors/explainFailure';
import type { ItemFacts } from '../errors/toNodeApiError';

/** An operation reports Letpay's refusals as data; only the router decides to fail the node. */
export type OperationOutcome = { ok: true; json: IDataObject } | { ok: false; report: LetpayErrorReport; facts: ItemFacts };
