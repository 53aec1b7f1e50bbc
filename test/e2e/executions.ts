import type { N8nInstance } from '../../scripts/lib/n8nInstance';

/** The owner account of the end-to-end suite's n8n (set up by whichever case needs it first). */
const OWNER = { email: 'owner@example.com', password: 'Letpay-e2e-1' };

/** A session cookie for n8n's REST API (behind the editor): logs the owner in, or sets the owner up on a fresh n8n. */
export async function ownerCookie(url: string): Promise<string> {
	const post = async (route: string, body: object) =>
		await fetch(`${url}${route}`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) });
	const login = await post('/rest/login', { emailOrLdapLoginId: OWNER.email, password: OWNER.password });
	let cookie = login.headers.get('set-cookie')?.split(';')[0];
	if (!login.ok || !cookie) {
		const setup = await post('/rest/owner/setup', { ...OWNER, firstName: 'Shop', lastName: 'Owner' });
		cookie = setup.headers.get('set-cookie')?.split(';')[0];
		if (!setup.ok || !cookie) throw new Error(`neither log-in (${login.status}) nor owner set-up (${setup.status}) gave a session`);
	}
	return cookie;
}

export interface RecordedExecution {
	id: string;
	status: string;
	/** The execution's data as n8n stores it (flatted JSON text): searched for what the run said. */
	data: string;
}

/** Every execution n8n recorded for a workflow, with its data. */
export async function recordedExecutions(n8n: N8nInstance, cookie: string, workflowId: string): Promise<RecordedExecution[]> {
	const filter = encodeURIComponent(JSON.stringify({ workflowId }));
	const list = (await (await fetch(`${n8n.url}/rest/executions?filter=${filter}&limit=100`, { headers: { cookie } })).json()) as {
		data: { results: Array<{ id: string; status: string }> };
	};
	return await Promise.all(
		list.data.results.map(async ({ id, status }) => {
			const detail = (await (await fetch(`${n8n.url}/rest/executions/${id}`, { headers: { cookie } })).json()) as { data: { data: string } };
			return { id, status, data: detail.data.data };
		}),
	);
}
