import { LetpayApi } from '../../credentials/LetpayApi.credentials';
import { TestCredentialsHelper } from './credentialsHelper';
import { runWorkflowWith, type CaptureRun, type CaptureWorkflow } from './engine';
import { nodeTypes } from './nodeTypes';

export { defaultCaptureParameters, type CaptureRun, type CaptureWorkflow, type OnError } from './engine';

export function createCredentials() {
	const type = new LetpayApi();
	return new TestCredentialsHelper({ [type.name]: type });
}

/** Runs Orders -> Letpay -> Captured / Failed through n8n-core's real WorkflowExecute, with this package's node. */
export async function runCaptureWorkflow(spec: CaptureWorkflow, credentials: TestCredentialsHelper): Promise<CaptureRun> {
	return await runWorkflowWith(nodeTypes, spec, credentials);
}
