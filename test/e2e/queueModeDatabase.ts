import path from 'node:path';

import { mustRun } from '../../scripts/lib/processes';
import { postgresBinDir, type PostgresServer } from '../../scripts/lib/services';

/** One SQL statement through Debian's psql against the throwaway PostgreSQL; rows as arrays of text. */
async function query(postgres: PostgresServer, sql: string): Promise<string[][]> {
	const output = await mustRun(
		path.join(postgresBinDir()!, 'psql'),
		['-X', '-At', '-F', '\t', '-h', postgres.host, '-p', String(postgres.port), '-U', postgres.user, '-d', postgres.database, '-c', sql],
		{ env: { ...process.env, PGPASSWORD: postgres.password } },
	);
	return output.split('\n').filter(Boolean).map((line) => line.split('\t'));
}

/** Status of n8n's executions by id, as its database records them. */
export async function executionStatuses(postgres: PostgresServer): Promise<Map<string, string>> {
	return new Map((await query(postgres, 'SELECT id, status FROM execution_entity')).map(([id, status]) => [id, status]));
}

/**
 * Ids of the executions whose data mentions `text` (a payment token in a webhook's body): how a
 * test finds which executions handled a payment, to ask the workers' logs which worker ran them.
 */
export async function executionsMentioning(postgres: PostgresServer, text: string): Promise<string[]> {
	if (!/^[A-Za-z0-9-]+$/.test(text)) throw new Error(`not a plain token: ${text}`);
	return (await query(postgres, `SELECT "executionId" FROM execution_data WHERE data LIKE '%${text}%' ORDER BY "executionId"`)).map(([id]) => id);
}
