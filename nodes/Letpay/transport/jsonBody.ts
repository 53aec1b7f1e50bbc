/**
 * A response body as a JSON object, whatever form the HTTP client handed it over in (text, or
 * already parsed). Anything else (HTML, an empty body, a JSON array) is undefined.
 */
export function parseJsonObject(raw: unknown): Record<string, unknown> | undefined {
	let parsed = raw;
	if (typeof raw === 'string') {
		try {
			parsed = JSON.parse(raw);
		} catch {
			return undefined;
		}
	}
	return parsed && typeof parsed === 'object' && !Array.isArray(parsed)
		? (parsed as Record<string, unknown>)
		: undefined;
}
