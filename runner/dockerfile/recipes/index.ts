import type { AppPlan } from '../../detect/plan';
import { goRecipe } from './go';
import { nodeRecipe } from './node';
import { pythonRecipe } from './python';
import type { Recipe } from './recipe';
import { rubyRecipe } from './ruby';
import { staticRecipe } from './static';

export function recipeFor(plan: AppPlan): Recipe {
  switch (plan.ecosystem) {
    case 'node':
      return nodeRecipe(plan);
    case 'python':
      return pythonRecipe(plan);
    case 'ruby':
      return rubyRecipe(plan);
    case 'go':
      return goRecipe(plan);
    case 'static':
      return staticRecipe(plan);
  }
}
