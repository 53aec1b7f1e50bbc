import { cpSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';

import { REPOSITORY } from './processes';

/*
 * Deliberate faults put into a copy of the node's code: the model must find each of them under a
 * fixed seed, by the kind of violation named here (and the node as it is must not show that kind
 * under the same seed). When the node's code moves on, a mutant whose text is no longer found
 * fails loudly: rewrite it against the new code, do not drop it.
 */
export interface Mutant {
	name: string;
	/** The violation the model must report. */
	finds: string;
	file: string;
	from: string;
	to: string;
}

export const MUTANTS: Mutant[] = [
	{
		name: 'a capture resent after a 502',
		finds: 'capture resent after Letpay may have processed it',
		file: 'nodes/Letpay/transport/letpayClient.ts',
		from: 'if (!notProcessed && !changesNothing) return undefined;',
		to: "if (!notProcessed && !changesNothing && report.httpCode !== '502') return undefined;",
	},
	{
		name: 'payments told apart by letter case within an execution',
		finds: 'two captures in one execution',
		file: 'nodes/Letpay/actions/payment/capture.operation.ts',
		from: 'key: (request: CaptureRequest) => paymentKey(request.paymentToken),',
		to: 'key: (request: CaptureRequest) => request.paymentToken,',
	},
	{
		name: "an output item whose facts the input's fields overwrite",
		finds: 'success item misreports its input',
		file: 'nodes/Letpay/actions/router.ts',
		from: 'json: { ...input, ...json }',
		to: 'json: { ...json, ...input }',
	},
	{
		name: 'a DECLINED answer read as a capture',
		finds: 'false capture claim',
		file: 'nodes/Letpay/validation/letpayAnswer.ts',
		from: "new Set(['PROCESSING', 'PAID']);",
		to: "new Set(['PROCESSING', 'PAID', 'DECLINED']);",
	},
	{
		name: "a notification's claim emitted as Letpay's status",
		finds: 'trigger emitted a claim as a fact',
		file: 'nodes/LetpayTrigger/webhook.ts',
		from: 'json: { ...paymentItem(details, settings.simplify), notification }',
		to: 'json: { ...paymentItem(details, settings.simplify), transactionStatus: claimed ?? details.transactionStatus, notification }',
	},
];

/** A copy of the package's node and credential with the mutant's change; returns the copy's root. */
export function writeMutant(mutant: Mutant): string {
	const root = path.join(REPOSITORY, '.reports', 'mutants', mutant.name.replace(/[^a-z0-9]+/gi, '-'));
	rmSync(root, { recursive: true, force: true });
	mkdirSync(root, { recursive: true });
	for (const folder of ['nodes', 'credentials']) cpSync(path.join(REPOSITORY, folder), path.join(root, folder), { recursive: true });
	const file = path.join(root, mutant.file);
	const text = readFileSync(file, 'utf8');
	if (text.split(mutant.from).length !== 2) throw new Error(`mutant "${mutant.name}": its text is not found exactly once in ${mutant.file}; rewrite it against the current code`);
	writeFileSync(file, text.replace(mutant.from, mutant.to));
	return root;
}
