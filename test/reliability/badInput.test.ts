import fc from 'fast-check';
import type { IDataObject } from 'n8n-workflow';

import { checkCaptureAmount } from '../../nodes/Letpay/money/amount';
import { useTestbed } from '../helpers/testbed';
import { PAYMENT_TOKEN as TOKEN } from '../helpers/captures';

/*
 * Hostile or sloppy input, as it reaches the node from expressions, spreadsheets and webhooks.
 * Every row runs through the engine in one workflow: each item must fail alone, with a message
 * naming the item, the field and the value, and nothing may reach Letpay.
 */
const twoDecimals = 'must have at most two decimal places';
const notWritten = 'is not a number written like 123.45';
const neverAToken = 'contains characters a Letpay payment token never has (/, ?, #, %, \\, .. or white space)';

const badAmounts: Array<[unknown, string]> = [
	['12,34', 'uses a comma: write the decimal separator as a dot, e.g. 12.34'],
	['1,234.56', notWritten],
	['1e2', notWritten],
	['1E-2', notWritten],
	[1e21, 'is too large to be represented exactly to the cent'],
	[1e300, 'is too large to be represented exactly to the cent'],
	['123456789012345678', 'is too large to be represented exactly to the cent'],
	[-0, 'must be greater than 0'],
	[0, 'must be greater than 0'],
	['0', 'must be greater than 0'],
	[-5, 'must be greater than 0'],
	['-5', notWritten],
	[0.001, twoDecimals],
	[1.005, twoDecimals],
	[123.456, twoDecimals],
	['10.001', twoDecimals],
	['', 'is empty'],
	['   ', 'is empty'],
	['abc', notWritten],
	['12.34 EUR', notWritten],
	['€12.34', notWritten],
	['+12.34', notWritten],
	['.50', notWritten],
	['١٢٣', notWritten], // Arabic-Indic digits
	['１２３', notWritten], // full-width digits
	['NaN', notWritten],
	['Infinity', notWritten],
	[null, 'is missing'],
	[true, 'must be a number, not a boolean'],
	[false, 'must be a number, not a boolean'],
	[{ value: 12.34 }, 'must be a number, not an object'],
	[[12.34], 'must be a number, not a list'],
];

const badTokens: Array<[unknown, string]> = [
	['', 'is empty'],
	['   ', 'is empty'],
	[null, 'is missing'],
	['abc/def', neverAToken],
	['../auth', neverAToken],
	['..', neverAToken],
	['abc?capture=1', neverAToken],
	['abc#x', neverAToken],
	['abc%2Fdef', neverAToken],
	['abc\ndef', neverAToken],
	['abc\tdef', neverAToken],
	['abc def', neverAToken],
	['a\\b', neverAToken],
	['x'.repeat(10_240), 'is 10240 characters long; Letpay tokens are far shorter'],
	[{ token: TOKEN }, 'must be text, not an object'],
	[[TOKEN], 'must be text, not a list'],
	[true, 'must be text, not a boolean'],
];

describe('bad input never reaches Letpay, and each item says what is wrong', () => {
	const testbed = useTestbed();

	const rows = [
		...badAmounts.map(([amount, reason]) => ({ order: { paymentToken: TOKEN, amount }, field: 'Amount', value: amount, reason })),
		...badTokens.map(([paymentToken, reason]) => ({ order: { paymentToken, amount: 1 }, field: 'Payment Token', value: paymentToken, reason })),
	];

	test(`${rows.length} hostile inputs, one run, one error item each`, async () => {
		const { success, failed } = await testbed.run({ orders: rows.map((row) => row.order as IDataObject), onError: 'continueErrorOutput' });

		expect(success).toEqual([]);
		expect(failed.map((item) => item.pairedItem)).toEqual(rows.map((_row, item) => ({ item })));
		failed.forEach((item, index) => {
			const { message } = item.json.error as { message: string };
			const { field, value, reason } = rows[index];
			expect(message).toMatch(new RegExp(`^Invalid ${field} in item ${index + 1}: ${escape(shown(value))} ${escape(reason)}$`));
			expect(message.length).toBeLessThan(300);
		});
		expect(testbed.emulator.requests).toEqual([]);
	});
});

/** The value as the message shows it: as JSON, cut short after 57 characters. */
function shown(value: unknown): string {
	const json = String(JSON.stringify(value));
	return json.length > 60 ? `${json.slice(0, 57)}...` : json;
}

function escape(text: string) {
	return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** The reference: decide on the decimal text itself, with integers only. */
function exactlyTwoDecimalsOrFewer(text: string): boolean {
	const [, fraction = ''] = text.split('.');
	return fraction.replace(/0+$/, '').length <= 2;
}

/** Amounts written with up to 13 significant digits: where a double still tells decimals apart. */
const decimalTextWith = (maxWhole: number, maxDecimals: number) =>
	fc
		.tuple(fc.integer({ min: 0, max: maxWhole }), fc.integer({ min: 0, max: maxDecimals }), fc.integer({ min: 0, max: 999_999 }))
		.map(([whole, decimals, fraction]) =>
			decimals === 0 ? String(whole) : `${whole}.${String(fraction % 10 ** decimals).padStart(decimals, '0')}`,
		);
const decimalText = fc
	.oneof(decimalTextWith(999_999_999, 4), decimalTextWith(9_999_999, 6), decimalTextWith(999, 10))
	.filter((text) => Number(text) > 0);

describe('amount rule agrees with an exact decimal check (property-based)', () => {
	test('decimal strings: accepted exactly when they have at most two decimals', () => {
		fc.assert(
			fc.property(decimalText, (text) => {
				expect(checkCaptureAmount(text).valid).toBe(exactlyTwoDecimalsOrFewer(text));
			}),
			{ numRuns: Number(process.env.FC_RUNS ?? 5000) },
		);
	});

	test('the same values as numbers: same verdict, same cents', () => {
		fc.assert(
			fc.property(decimalText, (text) => {
				const fromNumber = checkCaptureAmount(Number(text));
				const fromText = checkCaptureAmount(text);
				expect(fromNumber.valid).toBe(fromText.valid);
				if (fromNumber.valid && fromText.valid) expect(fromNumber.cents).toBe(fromText.cents);
			}),
			{ numRuns: Number(process.env.FC_RUNS ?? 5000) },
		);
	});

	test('sums of two-decimal amounts computed in floating point are accepted as their exact sum', () => {
		fc.assert(
			fc.property(fc.array(fc.integer({ min: 1, max: 10_000_000 }), { minLength: 1, maxLength: 30 }), (centsList) => {
				const floatingSum = centsList.reduce((sum, cents) => sum + cents / 100, 0);
				expect(checkCaptureAmount(floatingSum)).toMatchObject({ valid: true, cents: centsList.reduce((a, b) => a + b, 0) });
			}),
			{ numRuns: Number(process.env.FC_RUNS ?? 5000) },
		);
	});
});
