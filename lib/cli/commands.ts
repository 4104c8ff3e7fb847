// Every subcommand module registers itself by being imported here.
import './validate-command';
import './plan-command';
import './synth-command';
