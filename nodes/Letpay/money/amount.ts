import { describeType } from '../validation/input';

/**
 * Money rules for Letpay captures. Amounts travel as integer cents inside the node so that no
 * arithmetic ever happens on binary floating point; the JSON sent to Letpay is written from the
 * cents, digit by digit.
 */

export type AmountCheck =
	| { valid: true; cents: number; text: string; value: number }
	| { valid: false; reason: string };

const DECIMAL_TEXT = /^(\d+)(?:\.(\d+))?$/;

/*
 * A double that came out of an expression such as 0.1 + 0.2, or a sum of a few dozen prices, is
 * a few units in the last place (ULPs) away from the two-decimal amount the user meant. 64 ULPs
 * (1.4e-14 relative) accepts that noise, while any real extra decimal of an amount written with
 * up to 13 significant digits (1.005, 123.456, 9999999.999999) is thousands of ULPs away and is
 * rejected. Beyond 13 digits a double cannot tell the two apart anyway.
 */
const FLOAT_NOISE_ULPS = 64;

export function formatCents(cents: number): string {
	const whole = Math.floor(cents / 100);
	const fraction = String(cents % 100).padStart(2, '0');
	return `${whole}.${fraction}`;
}

function accepted(cents: number): AmountCheck {
	const text = formatCents(cents);
	return { valid: true, cents, text, value: Number(text) };
}

function checkCents(cents: number): AmountCheck {
	if (cents <= 0) return { valid: false, reason: 'must be greater than 0' };
	if (!Number.isSafeInteger(cents)) {
		return { valid: false, reason: 'is too large to be represented exactly to the cent' };
	}
	return accepted(cents);
}

function checkNumber(value: number): AmountCheck {
	if (!Number.isFinite(value)) return { valid: false, reason: 'must be a finite number' };
	if (value <= 0) return { valid: false, reason: 'must be greater than 0' };
	const cents = Math.round(value * 100);
	if (!Number.isSafeInteger(cents)) {
		return { valid: false, reason: 'is too large to be represented exactly to the cent' };
	}
	const nearestTwoDecimal = cents / 100;
	const tolerance = FLOAT_NOISE_ULPS * Number.EPSILON * Math.abs(value);
	if (Math.abs(value - nearestTwoDecimal) > tolerance) {
		return { valid: false, reason: 'must have at most two decimal places' };
	}
	return checkCents(cents);
}

function checkText(raw: string): AmountCheck {
	const text = raw.trim();
	if (text === '') return { valid: false, reason: 'is empty' };
	if (/^\d+,\d+$/.test(text)) {
		return { valid: false, reason: 'uses a comma: write the decimal separator as a dot, e.g. 12.34' };
	}
	const match = DECIMAL_TEXT.exec(text);
	if (!match) return { valid: false, reason: 'is not a number written like 123.45' };
	const [, whole, fraction = ''] = match;
	if (/[1-9]/.test(fraction.slice(2))) {
		return { valid: false, reason: 'must have at most two decimal places' };
	}
	if (whole.length > 16) {
		return { valid: false, reason: 'is too large to be represented exactly to the cent' };
	}
	return checkCents(Number(whole) * 100 + Number(fraction.slice(0, 2).padEnd(2, '0')));
}

/**
 * Accepts a number, or a decimal string as an expression may produce it, and returns the exact
 * amount in cents. Never rounds a real third decimal away: that would capture a different amount
 * than the one the workflow asked for.
 */
export function checkCaptureAmount(value: unknown): AmountCheck {
	if (typeof value === 'number') return checkNumber(value);
	if (typeof value === 'string') return checkText(value);
	if (value === null || value === undefined) return { valid: false, reason: 'is missing' };
	return { valid: false, reason: `must be a number, not ${describeType(value)}` };
}

/** An amount as Letpay writes it: a JSON number, sometimes a string of digits; anything else is null. */
export function letpayAmount(value: unknown): number | null {
	if (typeof value === 'number' && Number.isFinite(value)) return value;
	if (typeof value === 'string' && /^-?\d+(\.\d+)?$/.test(value.trim())) return Number(value);
	return null;
}

/** Whole cents of an amount Letpay showed (undefined when it showed none), to compare with what an item asked. */
export const centsOf = (amount: number | null): number | undefined => (amount === null ? undefined : Math.round(amount * 100));
