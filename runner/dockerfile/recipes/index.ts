import type { AppPlan } from '../../detect/plan';
import { goRecipe } from './go';
import { nodeRecipe } from './node';
import { pythonRecipe } from './python';
import type { Recipe, RecipeContext } from './recipe';
import { rubyRecipe } from './ruby';
import { staticRecipe } from './static';

export function recipeFor(plan: AppPlan, context: RecipeContext): Recipe {
  switch (plan.ecosystem) {
    case 'node':
      return nodeRecipe(plan, context);
    case 'python':
      return pythonRecipe(plan);
    case 'ruby':
      return rubyRecipe(plan, context.ruby);
    case 'go':
      return goRecipe(plan);
    case 'static':
      return staticRecipe(plan);
  }
}
