/** A defective push server for the CLI container test: its push service pushes to another (stale) session. */
import { PushService } from '../src/push-service';
import { pushServerCliTriggers } from '../triggers';

class StaleSessions extends PushService {
  override push(deviceId: string, _sessionId: string, text: string) {
    return super.push(deviceId, '00000000-0000-4000-8000-000000000000', text);
  }
}

export default pushServerCliTriggers({ pushes: new StaleSessions() });
