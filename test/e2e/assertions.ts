import { isDeepStrictEqual } from 'node:util';

/** Tiny assertions for the end-to-end driver: a failure names what was expected and what came. */
export function expectEqual(what: string, actual: unknown, expected: unknown) {
	if (!isDeepStrictEqual(actual, expected)) {
		throw new Error(`${what}\n  expected: ${JSON.stringify(expected)}\n  actual:   ${JSON.stringify(actual)}`);
	}
}

export function expectNoSecrets(what: string, text: string, secrets: string[]) {
	const leaked = secrets.filter((secret) => secret !== '' && text.includes(secret));
	if (leaked.length > 0) throw new Error(`${what} contains ${leaked.length} secret(s)`);
}

export function ledgerView(captures: Array<{ paymentToken: string; amountCents: number }>) {
	const view: Record<string, number[]> = {};
	for (const capture of captures) (view[capture.paymentToken] ??= []).push(capture.amountCents);
	return view;
}
