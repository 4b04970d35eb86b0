/**
 * Runs verdaccio for the tests: `node registry-server.cjs <verdaccio package folder> <config.yaml>`.
 * It listens on a free 127.0.0.1 port, prints `listening <url>` on stdout, and exits when its stdin
 * closes, so it dies with the test run that started it even if that run is killed outright.
 */
const path = require('node:path');

async function main() {
  const [verdaccioDir, configFile] = process.argv.slice(2);
  const { runServer } = require(path.resolve(verdaccioDir));
  const server = await runServer(configFile);
  server.listen(0, '127.0.0.1', () => {
    process.stdout.write(`listening http://127.0.0.1:${server.address().port}/\n`);
  });
  process.stdin.on('end', () => process.exit(0));
  process.stdin.resume();
}

main().catch((error) => {
  process.stderr.write(`${error.stack ?? error}\n`);
  process.exit(1);
});
