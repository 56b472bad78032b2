/** The push client: authorises a device (one request, one reply), then accepts pushes for its session only. */
import type { JsonValue } from 'herald';

/** What the client needs from its broker connection (an amqplib RPC helper in production, Herald's replying double in tests). */
export interface Requester {
  request(sent: { payload: unknown; headers?: Readonly<Record<string, JsonValue>> }): Promise<{ readonly payload: { readonly sessionId: string; readonly ok: boolean } }>;
}

export interface Session {
  readonly deviceId: string;
  readonly sessionId: string;
}

/** A push as the client's broker consumer hands it over. */
export interface ReceivedPush {
  readonly headers: { readonly 'session-id': string };
  readonly payload: { readonly text: string };
}

export class AuthClient {
  private session: Session | undefined;

  constructor(
    private readonly requester: Requester,
    private readonly version = '2.4',
  ) {}

  /** Authorises the device; the session id then keys the pushes the device receives. */
  async authorise(deviceId: string, token: string): Promise<Session> {
    const reply = await this.requester.request({ payload: { deviceId, token }, headers: { 'client-version': this.version } });
    if (!reply.payload.ok) throw new Error(`device ${deviceId} was refused`);
    this.session = { deviceId, sessionId: reply.payload.sessionId };
    return this.session;
  }

  /** Shows a push; refuses one that belongs to another session (or arrives before authorisation). */
  onPush(push: ReceivedPush): string {
    if (this.session === undefined) throw new Error('a push arrived before the device was authorised');
    if (push.headers['session-id'] !== this.session.sessionId) throw new Error(`a push for session ${push.headers['session-id']}, not ${this.session.sessionId}`);
    return push.payload.text;
  }
}
