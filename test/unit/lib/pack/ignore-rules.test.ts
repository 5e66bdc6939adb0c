import {
  decide,
  KilnignoreRules,
  type ProjectRules,
  parseDockerignore,
  parseGitignore,
  ROOT_VERDICT,
} from '../../../../lib/pack/ignore-rules';

function rules(partial: Partial<ProjectRules>): ProjectRules {
  return { gitignores: [], dockerignore: null, kilnignore: null, ...partial };
}

describe('pack ignore rules', () => {
  it('applies a nested .gitignore relative to its own directory, deeper files winning', () => {
    const project = rules({
      gitignores: [parseGitignore('', '*.log\n/build/\n'), parseGitignore('app', '/cache/\n!keep.log\n')],
    });
    expect(decide('a.log', ROOT_VERDICT, project).excluded).toBe(true);
    expect(decide('app/x.log', ROOT_VERDICT, project).excluded).toBe(true);
    expect(decide('app/keep.log', ROOT_VERDICT, project).excluded).toBe(false);
    expect(decide('build/', ROOT_VERDICT, project).excluded).toBe(true);
    expect(decide('app/build/', ROOT_VERDICT, project).excluded).toBe(false);
    expect(decide('app/cache/', ROOT_VERDICT, project).excluded).toBe(true);
    expect(decide('cache/', ROOT_VERDICT, project).excluded).toBe(false);
  });

  it('anchors .dockerignore patterns at the project root, like Docker', () => {
    const project = rules({
      dockerignore: parseDockerignore('# comment\ntmp\n./secrets/*.pem\n**/*.bak\n!keep.bak\n'),
    });
    expect(decide('tmp/', ROOT_VERDICT, project).excluded).toBe(true);
    expect(decide('src/tmp/', ROOT_VERDICT, project).excluded).toBe(false);
    expect(decide('secrets/a.pem', ROOT_VERDICT, project).excluded).toBe(true);
    expect(decide('src/old.bak', ROOT_VERDICT, project).excluded).toBe(true);
    expect(decide('keep.bak', ROOT_VERDICT, project).excluded).toBe(false);
  });

  it('lets .kilnignore exclude more and re-include what earlier layers excluded', () => {
    const project = rules({
      gitignores: [parseGitignore('', 'dist/\n.env*\n')],
      dockerignore: parseDockerignore('docs\n'),
      kilnignore: new KilnignoreRules('!dist/\n!.env.build\nfixtures/\n'),
    });
    const dist = decide('dist/', ROOT_VERDICT, project);
    expect(dist).toEqual({ excluded: false, reincluded: true });
    expect(decide('dist/app.js', dist, project).excluded).toBe(false);
    expect(decide('.env.build', ROOT_VERDICT, project).excluded).toBe(false);
    expect(decide('.env', ROOT_VERDICT, project).excluded).toBe(true);
    expect(decide('docs/', ROOT_VERDICT, project).excluded).toBe(true);
    expect(decide('fixtures/', ROOT_VERDICT, project).excluded).toBe(true);
  });

  it('walks an excluded directory only when a .kilnignore `!` rule may reach inside it', () => {
    const kiln = new KilnignoreRules('!build/app.js\n!assets/*/logo.png\n');
    expect(kiln.mayReincludeUnder('build')).toBe(true);
    expect(kiln.mayReincludeUnder('assets')).toBe(true);
    expect(kiln.mayReincludeUnder('assets/img')).toBe(true);
    expect(kiln.mayReincludeUnder('node_modules')).toBe(false);
    expect(kiln.mayReincludeUnder('build/sub')).toBe(false);
    expect(new KilnignoreRules('!*.keep\n').mayReincludeUnder('node_modules')).toBe(true);
  });

  it('keeps a file re-included by .kilnignore inside a directory the earlier layers excluded', () => {
    const project = rules({
      gitignores: [parseGitignore('', 'build/\n')],
      kilnignore: new KilnignoreRules('!build/app.js\n'),
    });
    const build = decide('build/', ROOT_VERDICT, project);
    expect(build.excluded).toBe(true);
    expect(decide('build/app.js', build, project).excluded).toBe(false);
    expect(decide('build/other.js', build, project).excluded).toBe(true);
  });
});
