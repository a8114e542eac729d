"""`run.max_cost_usd`: a hard cap. Each request reserves its worst case before it is sent
(prompt estimate plus max_tokens, priced at list), and settles with its real cost after."""

from __future__ import annotations

from .spec import Pricing

# Without max_tokens in params the worst case assumes this many output tokens.
DEFAULT_WORST_OUTPUT_TOKENS = 4096


class BudgetExceeded(Exception):
    pass


class Budget:
    def __init__(self, max_cost_usd: float | None, pricing: Pricing | None, *, spent: float = 0.0) -> None:
        self.limit = max_cost_usd
        self.pricing = pricing
        self.spent = spent  # settled cost, including earlier sessions of the run
        self.reserved = 0.0

    def worst_case(self, prompt_tokens: int, max_output: int | None) -> float:
        if self.pricing is None:
            return 0.0
        output = max_output if max_output is not None else DEFAULT_WORST_OUTPUT_TOKENS
        return self.pricing.cost(prompt_tokens, output, 0) or 0.0

    def reserve(self, prompt_tokens: int, max_output: int | None) -> float:
        """Hold the worst case of one request, or raise BudgetExceeded if it could cross the cap."""
        if self.limit is None:
            return 0.0
        worst = self.worst_case(prompt_tokens, max_output)
        if self.spent + self.reserved + worst > self.limit:
            raise BudgetExceeded(
                f"budget reached: ${self.spent:.4f} spent of run.max_cost_usd ${self.limit:g} "
                f"(the next request could cost up to ${worst:.4f}); raise the cap and run again to resume"
            )
        self.reserved += worst
        return worst

    def release(self, hold: float) -> None:
        self.reserved = max(0.0, self.reserved - hold)

    def settle(self, hold: float, cost: float | None) -> None:
        self.release(hold)
        self.spent += cost or 0.0
