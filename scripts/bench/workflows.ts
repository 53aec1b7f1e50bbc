/**
 * Manual Trigger -> the orders as items -> a pause -> one capture node: the shape both contenders
 * run in. `n8n execute` boots n8n for every run and goes on loading (node classes, AI tools, the
 * task runner) while the first nodes run; the pause lets that finish, so the capture node's own
 * time is that of a running n8n, as with a schedule or a webhook.
 */
export function benchWorkflow(id: string, orders: object[], captureNode: Record<string, unknown>) {
	const chain = ['Run', 'Orders', 'One item per order', 'Let n8n finish starting', 'Capture'];
	return {
		id,
		name: `bench ${id}`,
		nodes: [
			{ id: `${id}-1`, name: 'Run', type: 'n8n-nodes-base.manualTrigger', typeVersion: 1, position: [0, 0], parameters: {} },
			{
				id: `${id}-2`,
				name: 'Orders',
				type: 'n8n-nodes-base.set',
				typeVersion: 3.4,
				position: [200, 0],
				parameters: { mode: 'raw', jsonOutput: JSON.stringify({ orders }), options: {} },
			},
			{
				id: `${id}-3`,
				name: 'One item per order',
				type: 'n8n-nodes-base.splitOut',
				typeVersion: 1,
				position: [400, 0],
				parameters: { fieldToSplitOut: 'orders', options: {} },
			},
			{
				id: `${id}-4`,
				name: 'Let n8n finish starting',
				type: 'n8n-nodes-base.wait',
				typeVersion: 1.1,
				position: [600, 0],
				parameters: { resume: 'timeInterval', amount: 5, unit: 'seconds' },
			},
			{ id: `${id}-5`, name: 'Capture', position: [800, 0], ...captureNode },
		],
		connections: Object.fromEntries(
			chain.slice(0, -1).map((name, index) => [name, { main: [[{ node: chain[index + 1], type: 'main', index: 0 }]] }]),
		),
		settings: { executionOrder: 'v1' },
		pinData: {},
	};
}

/** n8n's HTTP Request node configured as a user would: header auth, JSON body, its own batching. */
export function httpRequestNode(baseUrl: string, concurrency: number, credential: { id: string; name: string }) {
	return {
		type: 'n8n-nodes-base.httpRequest',
		typeVersion: 4.2,
		credentials: { httpHeaderAuth: credential },
		parameters: {
			method: 'POST',
			url: `={{ "${baseUrl}/token/" + encodeURIComponent($json.paymentToken) + "/capture" }}`,
			authentication: 'genericCredentialType',
			genericAuthType: 'httpHeaderAuth',
			sendBody: true,
			specifyBody: 'json',
			jsonBody: '={{ JSON.stringify({ amount: $json.amount }) }}',
			options: { batching: { batch: { batchSize: concurrency, batchInterval: 0 } } },
		},
	};
}

export function letpayNode(concurrency: number, credential: { id: string; name: string }) {
	return {
		type: 'n8n-nodes-letpay.letpay',
		typeVersion: 1,
		onError: 'continueErrorOutput',
		credentials: { letpayApi: credential },
		parameters: {
			resource: 'payment',
			operation: 'capture',
			preAuthorizedPayment: '={{ $json.paymentToken }}',
			amount: '={{ $json.amount }}',
			options: { concurrency },
		},
	};
}
