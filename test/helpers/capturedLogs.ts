import { Logger } from '@n8n/backend-common';
import { Container } from '@n8n/di';
import { LoggerProxy } from 'n8n-workflow';

/**
 * Everything n8n's engine logs while a test runs (errors of failed nodes among them), kept
 * instead of printed, so suites can assert that no secret ever reaches a log line.
 * n8n-core 2.x logs through the DI container's Logger, older code through LoggerProxy.
 */
export const capturedLogs: string[] = [];

const keep =
	(level: string) =>
	(message: string, meta: object = {}) => {
		capturedLogs.push(`${level} ${message} ${JSON.stringify(meta)}`);
	};

const collector = {
	error: keep('error'),
	warn: keep('warn'),
	info: keep('info'),
	debug: keep('debug'),
	scoped: () => collector,
};

Container.set(Logger, collector as unknown as Logger);
LoggerProxy.init(collector as never);
