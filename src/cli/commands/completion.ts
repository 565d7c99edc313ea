import { Command, Argument } from 'commander';
import type { CliContext } from '../context.js';

interface CommandSpec {
  path: string[];
  subcommands: string[];
  options: string[];
}

/** Every command path with its subcommands and long options, from the program itself. */
function specs(program: Command): CommandSpec[] {
  const result: CommandSpec[] = [];
  const walk = (command: Command, path: string[]) => {
    result.push({
      path,
      subcommands: command.commands.map((child) => child.name()),
      options: command.options.map((option) => option.long).filter((name): name is string => !!name),
    });
    for (const child of command.commands) walk(child, [...path, child.name()]);
  };
  walk(program, []);
  return result;
}

function bash(program: Command): string {
  const cases = specs(program)
    .map((spec) => `    "${spec.path.join(' ')}") words="${[...spec.subcommands, ...spec.options, '--help'].join(' ')}" ;;`)
    .join('\n');
  return `# kpi completion for bash: add \`source <(kpi completion bash)\` to ~/.bashrc
_kpi_complete() {
  local path="" word
  for word in "\${COMP_WORDS[@]:1:COMP_CWORD-1}"; do
    case "$word" in -*) ;; *) path="\${path:+$path }$word" ;; esac
  done
  local words
  case "$path" in
${cases}
    *) words="" ;;
  esac
  COMPREPLY=($(compgen -W "$words" -- "\${COMP_WORDS[COMP_CWORD]}"))
}
complete -o default -F _kpi_complete kpi
`;
}

function zsh(program: Command): string {
  return `#compdef kpi
# kpi completion for zsh: add \`source <(kpi completion zsh)\` to ~/.zshrc
autoload -U +X bashcompinit && bashcompinit
${bash(program).split('\n').slice(1).join('\n')}`;
}

function fish(program: Command): string {
  const lines = ['# kpi completion for fish: kpi completion fish > ~/.config/fish/completions/kpi.fish', 'complete -c kpi -f'];
  for (const spec of specs(program)) {
    const condition =
      spec.path.length === 0
        ? '__fish_use_subcommand'
        : `__fish_seen_subcommand_from ${spec.path.at(-1)}${spec.path.length > 1 ? `; and __fish_seen_subcommand_from ${spec.path[0]}` : ''}`;
    if (spec.subcommands.length > 0) lines.push(`complete -c kpi -n '${condition}' -a '${spec.subcommands.join(' ')}'`);
    for (const option of spec.options) lines.push(`complete -c kpi -n '${condition}' -l ${option.replace(/^--/, '')}`);
  }
  return `${lines.join('\n')}\n`;
}

export function completionCommand(context: CliContext, program: Command): Command {
  return new Command('completion')
    .description('Print a shell completion script')
    .addArgument(new Argument('<shell>', 'the shell').choices(['bash', 'zsh', 'fish']))
    .addHelpText('after', '\nExamples:\n  source <(kpi completion bash)\n  kpi completion fish > ~/.config/fish/completions/kpi.fish')
    .action((shell: 'bash' | 'zsh' | 'fish') => {
      context.stdout.write({ bash, zsh, fish }[shell](program));
    });
}
