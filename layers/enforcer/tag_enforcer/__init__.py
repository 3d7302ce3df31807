"""Runtime package of the SageMaker domain tag enforcer, shipped to Lambda as a layer."""
