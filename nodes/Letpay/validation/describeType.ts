/** "a list", "an object", "a boolean": for messages about a value of the wrong kind. */
export function describeType(value: unknown): string {
	if (Array.isArray(value)) return 'a list';
	if (typeof value === 'object') return 'an object';
	return `a ${typeof value}`;
}
