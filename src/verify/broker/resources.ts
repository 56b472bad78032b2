/**
 * What a broker verification run creates on the broker, and its removal. With a namespace, the
 * run owns its topics, exchanges and queues: it creates them before the code under test runs
 * (so a capture is ready before the first publish) and deletes them at the end, pass or fail, each
 * step bounded so that a dead broker cannot hang the run. Without a namespace, the contract's
 * names belong to the application and nothing is created or deleted.
 *
 * Adapters are used through optional capabilities (createTopic, declareExchange, deleteQueue…),
 * found by name: the Kafka and AMQP adapters have them, the in-memory transport some, and a
 * third-party adapter may have none (then the broker must auto-create, and nothing is deleted).
 */
import { isAmqpChannel, isKafkaChannel } from '../../contract/channel';
import type { AmqpExchangeType, Channel } from '../../contract/model';
import { reasonOf } from '../../transport/errors';
import type { TransportAdapter } from '../../transport/types';
import { withTimeout } from '../timeout';

/** Default bound on each cleanup step. */
export const DEFAULT_CLEANUP_TIMEOUT_MS = 5_000;

type Operation = (...args: never[]) => Promise<unknown>;

/** The method `name` of `transport`, bound, when the adapter has it. */
function capability<F extends Operation>(transport: TransportAdapter, name: string): F | undefined {
  const value = (transport as unknown as Record<string, unknown>)[name];
  return typeof value === 'function' ? ((value as F).bind(transport) as F) : undefined;
}

type CreateTopic = (topic: string, options?: { readonly partitions?: number }) => Promise<unknown>;
type DeclareExchange = (exchange: string, type?: AmqpExchangeType) => Promise<unknown>;
type ByName = (name: string) => Promise<unknown>;

/** Names of what a run used on the broker (namespaced), for reports and leak checks. */
export interface BrokerResources {
  readonly topics: readonly string[];
  readonly exchanges: readonly string[];
  readonly queues: readonly string[];
  /** Consumer groups: Herald's captures' and the ones handed to consumers (`ctx.groupId`). */
  readonly groups: readonly string[];
}

/** Tracks and removes a run's broker resources. */
export class RunResources {
  private readonly topics = new Set<string>();
  private readonly exchanges = new Set<string>();
  private readonly queues = new Set<string>();
  private readonly groups = new Set<string>();
  /** Groups named for the code under test (`ctx.groupId`): removed after the run. */
  private readonly handedOut = new Set<string>();
  /** Created by the run (deleted at the end), as opposed to only used. */
  private readonly owned = { topics: new Set<string>(), exchanges: new Set<string>(), queues: new Set<string>() };
  private readonly prepared = new Map<string, Promise<void>>();

  constructor(
    private readonly transport: TransportAdapter,
    /** True when names are run-scoped: only then does the run create and delete them. */
    private readonly owns: boolean,
    private readonly cleanupTimeoutMs = DEFAULT_CLEANUP_TIMEOUT_MS,
  ) {}

  /**
   * Makes sure the (namespaced) channel exists before anything publishes to it: the topic (with
   * enough partitions for a pinned one), the exchange (with the contract's type), or the queue of
   * a default-exchange channel. Once per channel.
   */
  prepare(c: Channel): Promise<void> {
    const key = JSON.stringify(c);
    let done = this.prepared.get(key);
    if (done === undefined) {
      done = this.create(c);
      this.prepared.set(key, done);
      done.catch(() => this.prepared.delete(key));
    }
    return done;
  }

  private async create(c: Channel): Promise<void> {
    if (isKafkaChannel(c)) {
      this.topics.add(c.topic);
      const createTopic = capability<CreateTopic>(this.transport, 'createTopic');
      if (!this.owns || createTopic === undefined) return;
      this.owned.topics.add(c.topic);
      await createTopic(c.topic, c.partition === undefined ? {} : { partitions: c.partition + 1 });
    } else if (isAmqpChannel(c)) {
      if (c.exchange !== '') {
        this.exchanges.add(c.exchange);
        const declareExchange = capability<DeclareExchange>(this.transport, 'declareExchange');
        if (!this.owns || declareExchange === undefined) return;
        this.owned.exchanges.add(c.exchange);
        await declareExchange(c.exchange, c.exchangeType ?? 'topic');
      } else {
        const queue = c.queue ?? c.routingKey ?? '';
        this.queues.add(queue);
        const declareQueue = capability<ByName>(this.transport, 'declareQueue');
        if (!this.owns || declareQueue === undefined || queue === '') return;
        this.owned.queues.add(queue);
        await declareQueue(queue);
      }
    }
  }

  /** A queue the code under test declares under a run-scoped name: deleted at the end. */
  queue(name: string): void {
    this.queues.add(name);
    if (this.owns) this.owned.queues.add(name);
  }

  /** A consumer group the run used (a capture's, or one handed to a consumer). */
  group(groupId: string, handedOut = false): void {
    this.groups.add(groupId);
    if (handedOut && this.owns) this.handedOut.add(groupId);
  }

  /** A queue a capture consumes (its own exclusive queue: the adapter deletes it when the capture stops). */
  captureQueue(name: string): void {
    this.queues.add(name);
  }

  list(): BrokerResources {
    return { topics: [...this.topics], exchanges: [...this.exchanges], queues: [...this.queues], groups: [...this.groups] };
  }

  /**
   * Deletes what the run created: queues, then exchanges, then topics, each step bounded. With
   * `brokerLost`, nothing is attempted: the notes name what may be left behind.
   */
  async cleanup(notes: string[], brokerLost: boolean): Promise<void> {
    const steps: [kind: string, method: string, names: Set<string>][] = [
      ['queue', 'deleteQueue', this.owned.queues],
      ['exchange', 'deleteExchange', this.owned.exchanges],
      ['topic', 'deleteTopic', this.owned.topics],
    ];
    for (const [kind, method, names] of steps) {
      if (names.size === 0) continue;
      const remove = capability<ByName>(this.transport, method);
      if (remove === undefined) continue;
      if (brokerLost) {
        notes.push(`The broker connection was lost: the run could not delete the ${kind}(s) ${[...names].map((n) => JSON.stringify(n)).join(', ')}.`);
        continue;
      }
      for (const name of names) {
        try {
          await withTimeout(
            () => remove(name),
            this.cleanupTimeoutMs,
            () => new Error(`no answer within ${this.cleanupTimeoutMs} ms`),
          );
        } catch (error) {
          notes.push(`Failed to delete the ${kind} ${JSON.stringify(name)} after the run: ${reasonOf(error)}. Delete it by hand.`);
        }
      }
      names.clear();
    }
    if (!brokerLost) await this.removeGroups(notes);
  }

  /**
   * Consumer groups handed to the code under test (captures delete their own): deleted when the
   * adapter can (`deleteGroup`); otherwise Kafka removes an empty group once its topic is deleted,
   * which is awaited (`hasGroup`, polled until the cleanup bound).
   */
  private async removeGroups(notes: string[]): Promise<void> {
    const groups = [...this.handedOut];
    if (groups.length === 0) return;
    const deleteGroup = capability<ByName>(this.transport, 'deleteGroup');
    const hasGroup = capability<(groupId: string) => Promise<boolean>>(this.transport, 'hasGroup');
    const deadline = Date.now() + this.cleanupTimeoutMs;
    for (const group of groups) {
      try {
        if (deleteGroup !== undefined)
          await withTimeout(
            () => deleteGroup(group),
            this.cleanupTimeoutMs,
            () => new Error(`no answer within ${this.cleanupTimeoutMs} ms`),
          );
        if (hasGroup === undefined) continue;
        let pause = 50;
        while (
          await withTimeout(
            () => hasGroup(group),
            this.cleanupTimeoutMs,
            () => new Error(`no answer within ${this.cleanupTimeoutMs} ms`),
          )
        ) {
          if (Date.now() + pause > deadline) {
            notes.push(`The consumer group ${JSON.stringify(group)} still exists after the run (its consumer may still be connected). Delete it by hand, or stop the consumer in its handle.`);
            break;
          }
          await new Promise((resolve) => setTimeout(resolve, pause));
          pause = Math.min(pause * 2, 500);
        }
      } catch (error) {
        notes.push(`Failed to remove the consumer group ${JSON.stringify(group)} after the run: ${reasonOf(error)}.`);
      }
    }
  }
}
