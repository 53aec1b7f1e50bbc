import { LetpayTrigger } from '../../nodes/LetpayTrigger/LetpayTrigger.node';
import type { TestCredentialsHelper } from './credentialsHelper';
import { callTrigger, type Notification, type TriggerAnswer } from './webhookCall';

export { TRIGGER_NODE_TYPE, type Notification, type TriggerAnswer } from './webhookCall';

/** One notification through this package's Letpay Trigger (see callTrigger). */
export async function notifyTrigger(credentials: TestCredentialsHelper, notification: Notification): Promise<TriggerAnswer> {
	return await callTrigger(new LetpayTrigger(), credentials, notification);
}
