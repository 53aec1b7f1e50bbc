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

/**
 * A URL fit to show in a message: user info replaced by `***@`, built from the parsed URL so that
 * an `@`, `/` or `#` in a password cannot cut the redaction short; a URL that does not parse is
 * not shown at all (it may hold a password in a form nothing can redact reliably).
 */
export function redactUrl(url: string): string {
	// A path (a relative redirect) holds no user info; a protocol-relative URL (//host) may.
	if (/^\/(?!\/)/.test(url)) return url;
	const protocolRelative = url.startsWith('//');
	let parsed: URL;
	try {
		parsed = protocolRelative ? new URL(`https:${url}`) : new URL(url);
	} catch {
		return '(a URL that does not parse, not shown)';
	}
	const userInfo = parsed.username || parsed.password ? '***@' : '';
	const path = parsed.pathname === '/' && !url.endsWith('/') ? '' : parsed.pathname;
	return `${protocolRelative ? '' : parsed.protocol}//${userInfo}${parsed.host}${path}${parsed.search}`;
}
