// A sender that writes numbered lines to a TCP socket as fast as the socket takes them, until the
// socket breaks (the server stopped or was killed); resolves with how many it handed to the kernel.
import type { Socket } from 'node:net';

export const blast = (sock: Socket, line: (i: number) => string): Promise<number> =>
  new Promise((resolve) => {
    let i = 0;
    let done = false;
    const finish = (): void => {
      if (!done) resolve(i);
      done = true;
    };
    sock.on('error', finish);
    sock.on('close', finish);
    const pump = (): void => {
      while (!done) {
        const chunk = Array.from({ length: 200 }, (_, k) => line(i + k)).join('');
        i += 200;
        if (!sock.write(chunk)) {
          sock.once('drain', pump);
          return;
        }
      }
    };
    pump();
  });
