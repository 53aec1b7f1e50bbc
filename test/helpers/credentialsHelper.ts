import { Credentials } from 'n8n-core';
import {
	ICredentialsHelper,
	isExpression,
	type ICredentialDataDecryptedObject,
	type ICredentialType,
	type IHttpRequestHelper,
	type IHttpRequestOptions,
	type INode,
	type INodeCredentialsDetails,
	type INodeProperties,
	type IRequestOptionsSimplified,
	type Workflow,
} from 'n8n-workflow';

/**
 * The parts of n8n's CredentialsHelper (packages/cli) that a node with an expirable,
 * pre-authenticated credential relies on, with an in-memory store instead of the database:
 * - preAuthentication runs when the expirable field is empty or the request came back 401,
 *   and what it returns is saved for the next request (and the next run);
 * - generic `authenticate` properties are resolved as expressions against `$credentials`.
 */
export class TestCredentialsHelper extends ICredentialsHelper {
	/** How often n8n asked the credential type for a fresh token. */
	preAuthenticationCalls = 0;

	/**
	 * `stored` may be shared: queue-mode workers are separate n8n processes, each with its own
	 * helper and module instances, reading and writing one credential table. A `processName` is
	 * sent with each sign-in (X-Test-Process, which Letpay ignores), so the emulator's request log
	 * tells which process signed in.
	 */
	constructor(
		private readonly types: Record<string, ICredentialType>,
		private readonly stored = new Map<string, ICredentialDataDecryptedObject>(),
		private readonly processName?: string,
	) {
		super();
	}

	store(type: string, data: ICredentialDataDecryptedObject) {
		this.stored.set(type, { ...data });
	}

	storedData(type: string): ICredentialDataDecryptedObject {
		return { ...(this.stored.get(type) ?? {}) };
	}

	private type(name: string): ICredentialType {
		const type = this.types[name];
		if (!type) throw new Error(`Unknown credential type ${name}`);
		return type;
	}

	getParentTypes(): string[] {
		return [];
	}

	isCredentialUsableByNode(): boolean {
		return true;
	}

	getCredentialsProperties(type: string): INodeProperties[] {
		return this.type(type).properties;
	}

	async authenticate(
		credentials: ICredentialDataDecryptedObject,
		typeName: string,
		requestOptions: IHttpRequestOptions | IRequestOptionsSimplified,
		workflow?: Workflow,
		node?: INode,
	): Promise<IHttpRequestOptions> {
		const { authenticate } = this.type(typeName);
		const options = requestOptions as IHttpRequestOptions;
		// Not n8n's: lets the emulator's request log tell which execution sent a request (Letpay ignores it).
		if (workflow?.id) options.headers = { ...options.headers, 'X-Test-Execution': workflow.id };
		if (typeof authenticate === 'function') return await authenticate(credentials, options);
		if (!authenticate || authenticate.type !== 'generic' || !workflow || !node) return options;
		const resolve = (value: string) =>
			isExpression(value)
				? String(
						workflow.expression.getSimpleParameterValue(
							node,
							value,
							'internal',
							{ $credentials: credentials },
							undefined,
							'',
						) ?? '',
					)
				: value;
		for (const [target, entries] of Object.entries(authenticate.properties)) {
			const bag = ((options as unknown as Record<string, Record<string, string>>)[target] ??= {});
			for (const [key, value] of Object.entries(entries as Record<string, string>)) {
				bag[resolve(key)] = resolve(value);
			}
		}
		return options;
	}

	async preAuthentication(
		helpers: IHttpRequestHelper,
		credentials: ICredentialDataDecryptedObject,
		typeName: string,
		node: INode,
		credentialsExpired: boolean,
	): Promise<ICredentialDataDecryptedObject | undefined> {
		const type = this.type(typeName);
		const expirable = type.properties.find(
			(property) => property.type === 'hidden' && property.typeOptions?.expirable === true,
		);
		if (!expirable || typeof type.preAuthentication !== 'function') return undefined;
		if (credentials[expirable.name] !== '' && !credentialsExpired) return undefined;

		this.preAuthenticationCalls++;
		const name = this.processName;
		const tagged: IHttpRequestHelper = name
			? { helpers: { httpRequest: async (options: IHttpRequestOptions) => await helpers.helpers.httpRequest({ ...options, headers: { ...options.headers, 'X-Test-Process': name } }) } }
			: helpers;
		const output = await type.preAuthentication.call(tagged, credentials);
		if (output[expirable.name] === undefined || !node.credentials) return undefined;
		this.store(typeName, { ...this.storedData(typeName), ...(output as ICredentialDataDecryptedObject) });
		return Object.assign(credentials, output);
	}

	async runPreAuthentication(): Promise<undefined> {
		return undefined;
	}

	async getCredentials(nodeCredentials: INodeCredentialsDetails, type: string) {
		const credentials = new Credentials({ id: nodeCredentials.id, name: nodeCredentials.name }, type);
		return credentials;
	}

	/** Like n8n: the stored data with every property's default filled in. */
	async getDecrypted(
		_additionalData: unknown,
		_nodeCredentials: INodeCredentialsDetails,
		type: string,
	): Promise<ICredentialDataDecryptedObject> {
		const defaults = Object.fromEntries(
			this.type(type).properties.map((property) => [property.name, property.default]),
		) as ICredentialDataDecryptedObject;
		return { ...defaults, ...this.storedData(type) };
	}

	async updateCredentials(
		_nodeCredentials: INodeCredentialsDetails,
		type: string,
		data: ICredentialDataDecryptedObject,
	): Promise<void> {
		this.store(type, data);
	}

	async updateCredentialsOauthTokenData(): Promise<void> {}
}
