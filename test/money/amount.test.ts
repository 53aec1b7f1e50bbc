import { checkCaptureAmount, formatCents } from '../../nodes/Letpay/money/amount';

describe('capture amount rules (Letpay: float, required, at most two decimals, > 0)', () => {
	describe.each([
		// [input, cents sent, JSON text sent]
		[123.45, 12345, '123.45'],
		[0.01, 1, '0.01'],
		[10, 1000, '10.00'],
		[1.15, 115, '1.15'], // 1.15 * 100 = 114.99999999999999 in floating point
		[4.35, 435, '4.35'], // 4.35 * 100 = 434.99999999999994
		[0.1 + 0.2, 30, '0.30'], // 0.30000000000000004: floating-point noise, not a third decimal
		[1e2, 10000, '100.00'],
		[90071992547409.91, 9007199254740991, '90071992547409.91'],
		['123.45', 12345, '123.45'],
		[' 7.5 ', 750, '7.50'],
		['1.230', 123, '1.23'], // trailing zeros are not a third decimal
		['0099.90', 9990, '99.90'],
	])('accepts %p', (input, cents, text) => {
		test(`as ${cents} cents, sent as ${text}`, () => {
			expect(checkCaptureAmount(input)).toEqual({ valid: true, cents, text, value: Number(text) });
		});
	});

	test.each([
		[1.005, 'must have at most two decimal places'], // never silently rounded to 1.00 or 1.01
		[123.456, 'must have at most two decimal places'],
		[0.001, 'must have at most two decimal places'],
		['123.456', 'must have at most two decimal places'],
		['12,34', 'uses a comma: write the decimal separator as a dot, e.g. 12.34'],
		['', 'is empty'],
		['   ', 'is empty'],
		['abc', 'is not a number written like 123.45'],
		['1e2', 'is not a number written like 123.45'],
		['-5', 'is not a number written like 123.45'],
		['١٢٣', 'is not a number written like 123.45'], // Arabic-Indic digits
		[Number.NaN, 'must be a finite number'],
		[Number.POSITIVE_INFINITY, 'must be a finite number'],
		[-1, 'must be greater than 0'],
		[0, 'must be greater than 0'],
		[-0, 'must be greater than 0'],
		['0.00', 'must be greater than 0'],
		[1e21, 'is too large to be represented exactly to the cent'],
		['99999999999999999', 'is too large to be represented exactly to the cent'],
		[null, 'is missing'],
		[undefined, 'is missing'],
		[true, 'must be a number, not a boolean'],
		[{ amount: 1 }, 'must be a number, not an object'],
		[[1], 'must be a number, not a list'],
	])('rejects %p: it %s', (input, reason) => {
		expect(checkCaptureAmount(input)).toEqual({ valid: false, reason });
	});

	test('formats cents with exactly two decimals', () => {
		expect([1, 10, 100, 12345].map(formatCents)).toEqual(['0.01', '0.10', '1.00', '123.45']);
	});
});
