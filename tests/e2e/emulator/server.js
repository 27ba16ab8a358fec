// Starts telegram-test-api (a Bot API emulator) for iku-bot's end-to-end tests.
// Usage: node server.js PORT   (or EMULATOR_PORT=PORT node server.js)
// Loopback only; prints "emulator ready on http://127.0.0.1:PORT" once listening and
// exits with status 0 on SIGTERM or SIGINT (status 1 if it cannot listen).
'use strict';

// The package exports the class itself (module.exports = TelegramServer).
const TelegramServer = require('telegram-test-api');

const port = Number(process.argv[2] || process.env.EMULATOR_PORT);
if (!Number.isInteger(port) || port <= 0 || port > 65535) {
  console.error('usage: node server.js PORT (or EMULATOR_PORT=PORT)');
  process.exit(2);
}

// storeTimeout (seconds): the default of 60 drops messages of a long test session.
const server = new TelegramServer({ port, host: '127.0.0.1', storeTimeout: 600 });

let stopping = false;
async function stop(signal) {
  if (stopping) return;
  stopping = true;
  try {
    await server.stop();
  } finally {
    console.log(`emulator stopped (${signal})`);
    process.exit(0);
  }
}
process.on('SIGTERM', () => stop('SIGTERM'));
process.on('SIGINT', () => stop('SIGINT'));

server
  .start()
  .then(() => console.log(`emulator ready on http://127.0.0.1:${port}`))
  .catch((error) => {
    console.error(`emulator failed to start: ${error.message}`);
    process.exit(1);
  });
