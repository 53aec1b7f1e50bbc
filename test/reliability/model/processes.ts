import path from 'node:path';

import * as n8nWorkflow from 'n8n-workflow';
import type { ICredentialDataDecryptedObject, ICredentialType, INodeType, INodeTypes } from 'n8n-workflow';

import { TestCredentialsHelper } from '../../helpers/credentialsHelper';
import { createNodeTypes } from '../../helpers/testNodes';

/*
 * "n8n processes" for the model. Each is its own module instance of the package's two entry
 * points (the node, the trigger and the credential, as n8n's package.json names them), so each has its own
 * in-process memories (access tokens, recent captures), as queue-mode workers do. n8n-workflow
 * stays one instance: n8n-core's engine must recognise the node's error classes.
 * The model reaches the node through these entry points and n8n-core only.
 */
export interface N8nProcess {
	nodeTypes: INodeTypes;
	credentialType: ICredentialType;
	/** The Letpay Trigger of this process (webhooks reach it through n8n's main). */
	trigger: INodeType;
}

export const REPOSITORY = path.resolve(__dirname, '..', '..', '..');

/** Loads the node and credential found under `root` (the repository, or a mutated copy of it) afresh. */
export function loadProcess(root = REPOSITORY): N8nProcess {
	let loaded: N8nProcess | undefined;
	jest.isolateModules(() => {
		jest.doMock('n8n-workflow', () => n8nWorkflow);
		/* eslint-disable @typescript-eslint/no-require-imports -- a fresh module instance needs require() */
		const { Letpay } = require(path.join(root, 'nodes/Letpay/Letpay.node')) as { Letpay: new () => INodeType };
		const { LetpayApi } = require(path.join(root, 'credentials/LetpayApi.credentials')) as { LetpayApi: new () => ICredentialType };
		const { LetpayTrigger } = require(path.join(root, 'nodes/LetpayTrigger/LetpayTrigger.node')) as { LetpayTrigger: new () => INodeType };
		/* eslint-enable @typescript-eslint/no-require-imports */
		loaded = { nodeTypes: createNodeTypes(Letpay), credentialType: new LetpayApi(), trigger: new LetpayTrigger() };
	});
	jest.dontMock('n8n-workflow');
	return loaded!;
}

export const processName = (index: number) => `process-${index + 1}`;

/** One credential table shared by the processes, each reading it through its own helper. */
export function credentialHelpers(processes: N8nProcess[], credential: ICredentialDataDecryptedObject): TestCredentialsHelper[] {
	const store = new Map<string, ICredentialDataDecryptedObject>([['letpayApi', credential]]);
	return processes.map((process, index) => new TestCredentialsHelper({ letpayApi: process.credentialType }, store, processName(index)));
}
