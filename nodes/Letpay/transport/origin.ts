/** Where a URL points: scheme, host and port (user info and path left out). */
function originOf(url: string): string | undefined {
	try {
		return new URL(url).origin;
	} catch {
		return undefined;
	}
}

/** True only when both parse and point at the same scheme, host and port. */
export function isSameOrigin(url: string | undefined, baseUrl: string): boolean {
	const target = url === undefined ? undefined : originOf(url);
	return target !== undefined && target !== 'null' && target === originOf(baseUrl);
}

/** A URL fit to show in a message: `user:password@` replaced by `***@`. */
export function redactUrl(url: string): string {
	return url.replace(/^([a-z][a-z0-9+.-]*:\/\/)[^/?#@]*@/i, '$1***@');
}
