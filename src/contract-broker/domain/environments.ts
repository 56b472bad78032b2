/** Environments, and the versions deployed to or released in them (what can-i-deploy --to-environment checks against). */
import { randomUUID } from 'node:crypto';
import type { DeploymentRecord, EnvironmentRecord, Repository, VersionRecord } from '../storage/repository';
import { objectBody, optionalBoolean, optionalName, requiredName } from './input';
import { notFound, problem } from './problem';

export interface EnvironmentRequest {
  readonly name: string;
  readonly displayName: string | null;
  readonly production: boolean;
}

export function readEnvironmentRequest(raw: unknown): EnvironmentRequest {
  const body = objectBody(raw);
  const name = requiredName(body, 'name', 'name (the environment name, e.g. production)');
  if (!/^[A-Za-z0-9._-]+$/.test(name)) throw problem(400, 'name', 'name may contain only letters, digits, ".", "_" and "-" (it is used in URLs and on the command line).');
  return { name, displayName: optionalName(body, 'displayName') ?? null, production: optionalBoolean(body, 'production') ?? false };
}

export async function createEnvironment(repository: Repository, request: EnvironmentRequest): Promise<EnvironmentRecord> {
  return repository.transaction(async (tx) => {
    if ((await tx.findEnvironment({ name: request.name })) !== undefined)
      throw problem(409, 'name', `An environment named ${request.name} already exists. Pick another name, or use the existing one.`);
    return tx.createEnvironment({ uuid: randomUUID(), ...request });
  });
}

async function versionAndEnvironment(repository: Repository, pacticipant: string, number: string, environmentUuid: string): Promise<{ version: VersionRecord; environment: EnvironmentRecord }> {
  const version = await repository.findVersion(pacticipant, number);
  if (version === undefined) throw notFound(`Version ${number} of ${pacticipant}`, 'Publish it or create it (pact-broker create-or-update-version) before recording a deployment or release.');
  const environment = await repository.findEnvironment({ uuid: environmentUuid });
  if (environment === undefined) throw notFound(`Environment ${environmentUuid}`, 'Create it with pact-broker create-environment, then follow the pb:record-deployment link of the version.');
  return { version, environment };
}

export async function recordDeployment(repository: Repository, pacticipant: string, number: string, environmentUuid: string, rawBody: unknown): Promise<DeploymentRecord> {
  const body = rawBody === undefined ? {} : objectBody(rawBody);
  const applicationInstance = optionalName(body, 'applicationInstance') ?? optionalName(body, 'target') ?? '';
  return repository.transaction(async (tx) => {
    const { version, environment } = await versionAndEnvironment(tx, pacticipant, number, environmentUuid);
    await tx.recordDeployment({ uuid: randomUUID(), versionId: version.id, pacticipantId: version.pacticipantId, environmentUuid: environment.uuid, applicationInstance });
    const current = await tx.listDeployments({ environmentUuid: environment.uuid, pacticipantId: version.pacticipantId, currentOnly: true });
    const record = current.find((deployment) => deployment.kind === 'deployment' && deployment.version.id === version.id && (deployment.applicationInstance ?? '') === applicationInstance);
    if (record === undefined) throw new Error('deployment vanished after insert');
    return record;
  });
}

export async function recordRelease(repository: Repository, pacticipant: string, number: string, environmentUuid: string): Promise<DeploymentRecord> {
  return repository.transaction(async (tx) => {
    const { version, environment } = await versionAndEnvironment(tx, pacticipant, number, environmentUuid);
    const uuid = await tx.recordRelease({ uuid: randomUUID(), versionId: version.id, pacticipantId: version.pacticipantId, environmentUuid: environment.uuid });
    const current = await tx.listDeployments({ environmentUuid: environment.uuid, pacticipantId: version.pacticipantId, currentOnly: true });
    const record = current.find((deployment) => deployment.uuid === uuid);
    if (record === undefined) throw new Error('release vanished after insert');
    return record;
  });
}
