// Prints the endpoint and token it was given, as one JSON line, then runs until its stdin closes.
console.log(JSON.stringify({ url: process.env.AWS_CONTAINER_CREDENTIALS_FULL_URI, token: process.env.AWS_CONTAINER_AUTHORIZATION_TOKEN }));
process.stdin.on('end', () => process.exit(0)).resume();
