/** A TCP port on 127.0.0.1 that accepts connections and never answers: a wrong service, a hung proxy. */
import { createServer, type Socket } from 'node:net';

export interface SilentPort {
  readonly port: number;
  /** Drops every accepted connection and stops listening. */
  close(): Promise<void>;
}

export async function startSilentPort(): Promise<SilentPort> {
  const sockets = new Set<Socket>();
  const server = createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  return {
    port,
    close: async () => {
      for (const socket of sockets) socket.destroy();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}
