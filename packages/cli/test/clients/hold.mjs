// Prints the endpoint and token it was given and its pid, as one JSON line, then runs until its
// stdin closes (or, with `forever`, until it is killed).
console.log(JSON.stringify({ url: process.env.AWS_CONTAINER_CREDENTIALS_FULL_URI, token: process.env.AWS_CONTAINER_AUTHORIZATION_TOKEN, pid: process.pid }));
if (process.argv[2] === 'forever') setInterval(() => undefined, 60_000);
else process.stdin.on('end', () => process.exit(0)).resume();
