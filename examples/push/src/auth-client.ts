/** The push client's authorisation call: one request, one reply, over whatever answers requests. */
import type { JsonValue } from 'herald';

/** What the client needs from its broker connection (an amqplib RPC helper in production, Herald's replying double in tests). */
export interface Requester {
  request(sent: { payload: unknown; headers?: Readonly<Record<string, JsonValue>> }): Promise<{ readonly payload: { readonly sessionId: string; readonly ok: boolean } }>;
}

export interface Session {
  readonly deviceId: string;
  readonly sessionId: string;
}

export class AuthClient {
  constructor(
    private readonly requester: Requester,
    private readonly version = '2.4',
  ) {}

  /** Authorises the device; the session id then keys the pushes the device receives. */
  async authorise(deviceId: string, token: string): Promise<Session> {
    const reply = await this.requester.request({ payload: { deviceId, token }, headers: { 'client-version': this.version } });
    if (!reply.payload.ok) throw new Error(`device ${deviceId} was refused`);
    return { deviceId, sessionId: reply.payload.sessionId };
  }
}
