"""planwatch: plan-monitoring warehouse for Qianjiang District's five-year plans."""
