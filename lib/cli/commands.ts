// Every subcommand module registers itself by being imported here.
export {};
