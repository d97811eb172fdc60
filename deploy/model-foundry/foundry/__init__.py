"""DiffuGts model foundry: reference networks, schedulers, training and export helpers.

Everything here runs on Debian's python3-torch 1.13 (CPU) and python3-onnx; nothing reaches the network.
"""
