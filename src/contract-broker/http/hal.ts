/** HAL+JSON links and the resources the broker serves, shaped as Pact Broker's (what the Pact clients parse). */
import type { DeploymentRecord, EnvironmentRecord, PacticipantRecord, PublicationRecord, VerificationRecord, VersionRecord } from '../storage/repository';
import type { JsonObject } from '../domain/pact-content';

export interface Link extends JsonObject {
  href: string;
}

/** Builds absolute links from the base URL the client used. */
export class Hal {
  constructor(readonly base: string) {}

  /** A link to `segments` (each URL-encoded), e.g. link(['pacticipants', name]). */
  link(segments: readonly string[], extra: { title?: string; name?: string } = {}): Link {
    return { href: `${this.base}/${segments.map(encodeURIComponent).join('/')}`, ...extra };
  }
  /** A templated link: `path` keeps its {placeholders}. */
  template(path: string, title: string): Link {
    return { href: `${this.base}${path}`, title, templated: true };
  }

  pacticipantPath(name: string): string[] {
    return ['pacticipants', name];
  }
  versionPath(pacticipant: string, version: string): string[] {
    return ['pacticipants', pacticipant, 'versions', version];
  }
  pactVersionPath(provider: string, consumer: string, sha: string): string[] {
    return ['pacts', 'provider', provider, 'consumer', consumer, 'pact-version', sha];
  }
  pactOfVersionPath(publication: PublicationRecord): string[] {
    return ['pacts', 'provider', publication.providerName, 'consumer', publication.consumerName, 'version', publication.consumerVersion.number];
  }

  pacticipant(record: PacticipantRecord): JsonObject {
    const p = encodeURIComponent(record.name);
    return {
      name: record.name,
      displayName: record.name,
      mainBranch: record.mainBranch,
      createdAt: record.createdAt,
      _links: {
        self: this.link(this.pacticipantPath(record.name), { title: 'Pacticipant', name: record.name }),
        'pb:versions': this.link([...this.pacticipantPath(record.name), 'versions'], { title: 'Versions' }),
        'pb:version': this.template(`/pacticipants/${p}/versions/{version}`, 'Get, create or delete a pacticipant version'),
        'pb:version-tag': this.template(`/pacticipants/${p}/versions/{version}/tags/{tag}`, 'Get, create or delete a tag for a version'),
        'pb:branch-version': this.template(`/pacticipants/${p}/branches/{branch}/versions/{version}`, `Get or add/create a version for a branch of ${record.name}`),
        'pb:latest-version': this.link([...this.pacticipantPath(record.name), 'latest-version'], { title: 'Latest version' }),
      },
    };
  }

  versionSummary(version: VersionRecord): JsonObject {
    return {
      number: version.number,
      branch: version.branches[version.branches.length - 1] ?? null,
      branches: version.branches.map((name) => ({ name })),
      tags: version.tags.map((name) => ({ name })),
      _links: { self: this.link(this.versionPath(version.pacticipantName, version.number), { title: 'Version', name: version.number }) },
    };
  }

  /** The describe-version resource, with one pb:record-deployment / pb:record-release link per environment. */
  version(version: VersionRecord, environments: readonly EnvironmentRecord[], deployments: readonly DeploymentRecord[]): JsonObject {
    const path = this.versionPath(version.pacticipantName, version.number);
    const p = encodeURIComponent(version.pacticipantName);
    const v = encodeURIComponent(version.number);
    return {
      number: version.number,
      createdAt: version.createdAt,
      _embedded: {
        branchVersions: version.branches.map((name) => ({
          name,
          _links: { self: this.link(['pacticipants', version.pacticipantName, 'branches', name, 'versions', version.number], { title: 'Branch version', name }) },
        })),
        tags: version.tags.map((name) => ({ name, _links: { self: this.link([...path, 'tags', name], { title: 'Tag', name }) } })),
        deployedVersions: deployments.filter((d) => d.kind === 'deployment').map((d) => this.deployment(d)),
        releasedVersions: deployments.filter((d) => d.kind === 'release').map((d) => this.deployment(d)),
      },
      _links: {
        self: this.link(path, { title: 'Version', name: version.number }),
        'pb:pacticipant': this.link(this.pacticipantPath(version.pacticipantName), { title: 'Pacticipant', name: version.pacticipantName }),
        'pb:tag': this.template(`/pacticipants/${p}/versions/${v}/tags/{tag}`, 'Get, create or delete a tag for this pacticipant version'),
        'pb:record-deployment': environments.map((environment) =>
          this.link([...path, 'deployed-versions', 'environment', environment.uuid], { title: `Record deployment to ${environment.displayName ?? environment.name}`, name: environment.name }),
        ),
        'pb:record-release': environments.map((environment) =>
          this.link([...path, 'released-versions', 'environment', environment.uuid], { title: `Record release to ${environment.displayName ?? environment.name}`, name: environment.name }),
        ),
      },
    };
  }

  environment(environment: EnvironmentRecord): JsonObject {
    return {
      uuid: environment.uuid,
      name: environment.name,
      displayName: environment.displayName ?? environment.name,
      production: environment.production,
      createdAt: environment.createdAt,
      _links: {
        self: this.link(['environments', environment.uuid], { title: 'Environment', name: environment.name }),
        'pb:currently-deployed-deployed-versions': this.link(['environments', environment.uuid, 'deployed-versions', 'currently-deployed'], { title: 'Versions currently deployed' }),
      },
    };
  }

  deployment(deployment: DeploymentRecord): JsonObject {
    const kind = deployment.kind === 'deployment' ? 'deployed-versions' : 'released-versions';
    return {
      uuid: deployment.uuid,
      ...(deployment.kind === 'deployment'
        ? { currentlyDeployed: deployment.current, applicationInstance: deployment.applicationInstance, target: deployment.applicationInstance }
        : { currentlySupported: deployment.current, currentlyReleased: deployment.current }),
      createdAt: deployment.createdAt,
      _embedded: {
        version: { ...this.versionSummary(deployment.version), _embedded: { pacticipant: { name: deployment.version.pacticipantName } } },
        pacticipant: { name: deployment.version.pacticipantName },
        environment: this.environment(deployment.environment),
      },
      _links: { self: this.link([kind, deployment.uuid], { title: deployment.kind === 'deployment' ? 'Deployed version' : 'Released version' }) },
    };
  }

  /** The `_links` served with a pact: how a verifier publishes its results and finds the provider. */
  pactLinks(publication: PublicationRecord): JsonObject {
    const pactVersion = this.pactVersionPath(publication.providerName, publication.consumerName, publication.sha);
    return {
      self: this.link(this.pactOfVersionPath(publication), { title: 'Pact', name: `Pact between ${publication.consumerName} (${publication.consumerVersion.number}) and ${publication.providerName}` }),
      'pb:consumer': this.link(this.pacticipantPath(publication.consumerName), { title: 'Consumer', name: publication.consumerName }),
      'pb:consumer-version': this.link(this.versionPath(publication.consumerName, publication.consumerVersion.number), { title: 'Consumer version', name: publication.consumerVersion.number }),
      'pb:provider': this.link(this.pacticipantPath(publication.providerName), { title: 'Provider', name: publication.providerName }),
      'pb:pact-version': this.link(pactVersion, { title: 'Pact content version', name: publication.sha }),
      'pb:publish-verification-results': this.link([...pactVersion, 'verification-results'], { title: 'Publish verification results' }),
    };
  }

  verification(verification: VerificationRecord, consumer: string, provider: string): JsonObject {
    let testResults: unknown = [];
    try {
      testResults = JSON.parse(verification.testResults);
    } catch {
      testResults = [];
    }
    return {
      providerName: provider,
      providerApplicationVersion: verification.providerVersion.number,
      success: verification.success,
      verificationDate: verification.createdAt,
      testResults: testResults as JsonObject[],
      _links: {
        self: this.link([...this.pactVersionPath(provider, consumer, verification.sha), 'verification-results', String(verification.id)], { title: 'Verification result' }),
        'pb:provider-version': this.link(this.versionPath(provider, verification.providerVersion.number), { title: 'Provider version', name: verification.providerVersion.number }),
      },
    };
  }
}
