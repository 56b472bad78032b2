/**
 * What the broker's domain needs from storage. The domain (publish, pacts for verification,
 * matrix, can-i-deploy, deployments) is plain functions over this interface; SqlRepository
 * implements it once for both PGlite and PostgreSQL.
 */

export interface PacticipantRecord {
  readonly id: number;
  readonly name: string;
  readonly mainBranch: string | null;
  readonly createdAt: string;
}

export interface VersionRecord {
  readonly id: number;
  readonly pacticipantId: number;
  readonly pacticipantName: string;
  readonly number: string;
  readonly createdAt: string;
  /** Branches in the order they were added. */
  readonly branches: readonly string[];
  readonly tags: readonly string[];
}

/** A consumer version's pact with a provider: the publication joined with its version. */
export interface PublicationRecord {
  readonly id: number;
  readonly consumerId: number;
  readonly consumerName: string;
  readonly providerId: number;
  readonly providerName: string;
  readonly consumerVersion: VersionRecord;
  readonly sha: string;
  readonly createdAt: string;
}

export interface VerificationRecord {
  readonly id: number;
  readonly consumerId: number;
  readonly providerId: number;
  readonly sha: string;
  readonly providerVersion: VersionRecord;
  readonly success: boolean;
  readonly providerBranch: string | null;
  readonly testResults: string;
  readonly createdAt: string;
}

export interface EnvironmentRecord {
  readonly uuid: string;
  readonly name: string;
  readonly displayName: string | null;
  readonly production: boolean;
  readonly createdAt: string;
}

/** A version currently deployed to (or released in) an environment. */
export interface DeploymentRecord {
  readonly uuid: string;
  readonly kind: 'deployment' | 'release';
  readonly version: VersionRecord;
  readonly environment: EnvironmentRecord;
  readonly applicationInstance: string | null;
  readonly createdAt: string;
  /** True while deployed (not undeployed) or released (support not ended). */
  readonly current: boolean;
}

/** The HTTP request a webhook sends; `${pactbroker.*}` placeholders are filled per event. */
export interface WebhookRequestSpec {
  readonly method: string;
  readonly url: string;
  readonly headers: Readonly<Record<string, string>>;
  /** A JSON value sent as JSON, a string sent as it is, or none. */
  readonly body: unknown;
  readonly username: string | null;
  readonly password: string | null;
}

export interface WebhookRecord {
  readonly uuid: string;
  readonly description: string | null;
  /** Null: any consumer. */
  readonly consumerName: string | null;
  /** Null: any provider. */
  readonly providerName: string | null;
  readonly enabled: boolean;
  readonly events: readonly string[];
  readonly request: WebhookRequestSpec;
  readonly createdAt: string;
  readonly updatedAt: string;
}

export type TriggeredWebhookStatus = 'not_run' | 'retrying' | 'success' | 'failure';

/** One event that fired one webhook: delivered after the event's transaction commits, retried until it succeeds or runs out of attempts. */
export interface TriggeredWebhookRecord {
  readonly uuid: string;
  readonly webhookUuid: string;
  readonly eventName: string;
  readonly consumerName: string;
  readonly providerName: string;
  /** The `pactbroker.*` template variables, computed when the event happened. */
  readonly variables: Readonly<Record<string, string>>;
  readonly status: TriggeredWebhookStatus;
  readonly attemptsMade: number;
  readonly maxAttempts: number;
  readonly nextAttemptAt: string | null;
  readonly createdAt: string;
  readonly updatedAt: string;
}

/** One delivery attempt, with its log (secrets already removed). */
export interface WebhookExecutionRecord {
  readonly id: number;
  readonly triggeredWebhookUuid: string;
  readonly attempt: number;
  readonly success: boolean;
  readonly logs: string;
  readonly createdAt: string;
}

export interface Repository {
  /** Runs `work` in one transaction; nested calls join the outer one. */
  transaction<T>(work: (tx: Repository) => Promise<T>): Promise<T>;

  findPacticipant(name: string): Promise<PacticipantRecord | undefined>;
  /** The pacticipants with these ids (one query, whatever the number). */
  findPacticipantsByIds(ids: readonly number[]): Promise<PacticipantRecord[]>;
  listPacticipants(): Promise<PacticipantRecord[]>;
  /** Creates the pacticipant when missing; never changes an existing one. */
  ensurePacticipant(name: string): Promise<PacticipantRecord>;
  setMainBranch(pacticipantId: number, branch: string): Promise<void>;

  findVersion(pacticipantName: string, number: string): Promise<VersionRecord | undefined>;
  /** Versions of a pacticipant, oldest first (optionally only those on `branch` / with `tag`). */
  listVersions(pacticipantId: number, filter?: { readonly branch?: string; readonly tag?: string }): Promise<VersionRecord[]>;
  ensureVersion(pacticipantId: number, number: string): Promise<VersionRecord>;
  addBranch(versionId: number, branch: string): Promise<void>;
  addTag(versionId: number, tag: string): Promise<void>;

  /** Stores pact content under its sha; returns false when that content already existed. */
  putContent(consumerId: number, providerId: number, sha: string, content: string): Promise<boolean>;
  findContent(consumerId: number, providerId: number, sha: string): Promise<string | undefined>;
  /** Points a consumer version's pact with a provider at `sha` (a re-publish replaces the pointer). */
  putPublication(consumerVersionId: number, providerId: number, sha: string): Promise<void>;
  /** Publications, oldest consumer version first, filtered by provider and/or consumer version. */
  listPublications(filter: { readonly providerId?: number; readonly consumerId?: number; readonly consumerVersionId?: number }): Promise<PublicationRecord[]>;

  addVerification(input: {
    readonly consumerId: number;
    readonly providerId: number;
    readonly sha: string;
    readonly providerVersionId: number;
    readonly success: boolean;
    readonly providerBranch: string | null;
    readonly testResults: string;
  }): Promise<VerificationRecord>;
  /** Verifications of a consumer/provider pair (optionally one sha), oldest first. */
  listVerifications(filter: { readonly consumerId?: number; readonly providerId: number; readonly sha?: string }): Promise<VerificationRecord[]>;
  findVerification(id: number): Promise<VerificationRecord | undefined>;
  /** Every verification by these provider versions, oldest first (one query: the matrix asks once for all its rows). */
  listVerificationsByProviderVersions(providerVersionIds: readonly number[]): Promise<VerificationRecord[]>;

  createEnvironment(input: { readonly uuid: string; readonly name: string; readonly displayName: string | null; readonly production: boolean }): Promise<EnvironmentRecord>;
  listEnvironments(): Promise<EnvironmentRecord[]>;
  findEnvironment(by: { readonly uuid: string } | { readonly name: string }): Promise<EnvironmentRecord | undefined>;

  /** Records a deployment, ending the previous one of the same pacticipant, environment and instance. */
  recordDeployment(input: { readonly uuid: string; readonly versionId: number; readonly pacticipantId: number; readonly environmentUuid: string; readonly applicationInstance: string }): Promise<void>;
  /** Records a release (idempotent per version and environment); returns its uuid. */
  recordRelease(input: { readonly uuid: string; readonly versionId: number; readonly pacticipantId: number; readonly environmentUuid: string }): Promise<string>;
  /** Current deployments and releases, optionally of one environment and/or pacticipant. */
  listDeployments(filter: { readonly environmentUuid?: string; readonly pacticipantId?: number; readonly currentOnly: boolean }): Promise<DeploymentRecord[]>;

  /** Creates or replaces the webhook with this uuid (created_at kept on replace). */
  putWebhook(input: Omit<WebhookRecord, 'createdAt' | 'updatedAt'>): Promise<WebhookRecord>;
  findWebhook(uuid: string): Promise<WebhookRecord | undefined>;
  /** Webhooks, oldest first. */
  listWebhooks(): Promise<WebhookRecord[]>;
  /** Deletes a webhook with its triggered webhooks and executions; false when there was none. */
  deleteWebhook(uuid: string): Promise<boolean>;

  addTriggeredWebhook(input: {
    readonly uuid: string;
    readonly webhookUuid: string;
    readonly eventName: string;
    readonly consumerName: string;
    readonly providerName: string;
    readonly variables: Readonly<Record<string, string>>;
    readonly maxAttempts: number;
  }): Promise<void>;
  /**
   * Takes one triggered webhook that is due (not run, or retrying and past its back-off) and leases
   * it for `leaseMs`: other dispatchers (another broker process on the same PostgreSQL) skip it
   * until the lease ends, so a crashed dispatcher's work is picked up again.
   */
  claimDueTriggeredWebhook(leaseMs: number): Promise<TriggeredWebhookRecord | undefined>;
  /** Milliseconds until the next triggered webhook is due (0 when one is due now), or undefined when none waits. */
  nextTriggeredWebhookDueInMs(): Promise<number | undefined>;
  /** Records an attempt and moves the triggered webhook on: 'retrying' after `retryInMs`, or finished. */
  recordWebhookAttempt(input: {
    readonly triggeredWebhookUuid: string;
    readonly attempt: number;
    readonly success: boolean;
    readonly logs: string;
    readonly status: TriggeredWebhookStatus;
    readonly retryInMs: number | null;
  }): Promise<void>;
  /** Triggered webhooks, oldest first, of one webhook and/or one consumer/provider pair. */
  listTriggeredWebhooks(filter: { readonly webhookUuid?: string; readonly consumerName?: string; readonly providerName?: string }): Promise<TriggeredWebhookRecord[]>;
  findTriggeredWebhook(uuid: string): Promise<TriggeredWebhookRecord | undefined>;
  /** Attempts of one triggered webhook, oldest first. */
  listWebhookExecutions(triggeredWebhookUuid: string): Promise<WebhookExecutionRecord[]>;
}
